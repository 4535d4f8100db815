// `npm run build:web [-- --force]`: build the pages (dist/web) when they are missing or older than
// src/web (every time with --force). `npm test` runs it first; `urbanlab serve` never builds.
import { buildWeb, ensureWebBuild, WEB_DIST } from '../server/web-build.ts';

const log = (msg: string) => process.stderr.write(`${msg}\n`);
if (process.argv.includes('--force')) {
  const t0 = Date.now();
  await buildWeb();
  log(`dist/web built in ${((Date.now() - t0) / 1000).toFixed(1)} s (${WEB_DIST})`);
} else {
  await ensureWebBuild(log);
}
