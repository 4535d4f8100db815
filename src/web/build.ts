// `npm run build:web`: build the pages now (dist/web), whatever their state.
import { buildWeb, WEB_DIST } from '../server/web-build.ts';

const t0 = Date.now();
await buildWeb();
process.stderr.write(`dist/web built in ${((Date.now() - t0) / 1000).toFixed(1)} s (${WEB_DIST})\n`);
