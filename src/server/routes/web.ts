// The pages (/: the dispatcher's dashboard, /driver: the driver's phone view), served as the static
// files Vite built into dist/web. They use the public API only. Hashed assets are cached for good,
// the HTML pages never (a new build is picked up at the next load). Without a build, / and /driver
// say how to make one instead of a 404.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { WEB_DIST } from '../web-build.ts';

export const webRoutes = (dist: string = WEB_DIST): FastifyPluginAsync => async (app) => {
  if (!existsSync(join(dist, 'index.html'))) {
    for (const path of ['/', '/driver']) {
      app.get(path, { schema: { hide: true } }, async (_req, reply) => reply.code(503).type('text/plain; charset=utf-8')
        .send('The dashboard is not built: run `npm run build:web` and reload.\n'));
    }
    return;
  }
  await app.register(fastifyStatic, {
    root: dist,
    prefix: '/',
    index: ['index.html'],
    schemaHide: true,
    // Only the built files: no directory listing, no dotfiles (the build stamp).
    dotfiles: 'deny',
    setHeaders: (res, path) => {
      // The pages and the driver's service worker are checked at every load; the hashed files never change.
      res.header('cache-control', path.endsWith('.html') || path.endsWith('driver-sw.js') ? 'no-cache' : 'public, max-age=31536000, immutable');
    },
  });
  app.get('/driver', { schema: { hide: true } }, (_req, reply) => reply.header('cache-control', 'no-cache').sendFile('driver/index.html'));
};
