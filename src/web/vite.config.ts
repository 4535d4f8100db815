// The front end's build: two pages (the dispatcher's dashboard at /, the driver's phone view at
// /driver) bundled with MapLibre GL JS into dist/web, which `urbanlab serve` serves as static files.
// Nothing is fetched from a CDN at run time: every script, style and the map's worker are in the build.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const root = dirname(fileURLToPath(import.meta.url));

/**
 * The head both pages share, written once: charset, viewport, no favicon request, the stylesheet.
 * Added before Vite reads the pages ('pre'), so the stylesheet is bundled as if it were in them.
 */
const sharedHead = (): Plugin => ({
  name: 'urbanlab-shared-head',
  transformIndexHtml: {
    order: 'pre',
    handler: () => [
      { tag: 'meta', attrs: { charset: 'utf-8' }, injectTo: 'head-prepend' },
      { tag: 'meta', attrs: { name: 'viewport', content: 'width=device-width, initial-scale=1' }, injectTo: 'head-prepend' },
      { tag: 'link', attrs: { rel: 'icon', href: 'data:,' }, injectTo: 'head' },
      { tag: 'link', attrs: { rel: 'stylesheet', href: '/shared/style.css' }, injectTo: 'head' },
    ],
  },
});

export default defineConfig({
  root,
  base: '/',
  plugins: [sharedHead()],
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: resolve(root, '..', '..', 'dist', 'web'),
    emptyOutDir: true,
    // MapLibre alone is ~1 MB minified: one chunk for it is expected, not a warning.
    chunkSizeWarningLimit: 2500,
    // No per-plugin timing report in the build's output.
    rolldownOptions: { checks: { pluginTimings: false }, input: { dashboard: resolve(root, 'index.html'), driver: resolve(root, 'driver', 'index.html'), 'driver-sw': resolve(root, 'driver', 'sw.ts') },
      // The service worker keeps a fixed name at the root (its scope, /driver, must lie under it).
      output: { entryFileNames: (chunk) => (chunk.name === 'driver-sw' ? 'driver-sw.js' : 'assets/[name]-[hash].js') } },
  },
});
