// The driver's view's service worker (/driver-sw.js, scope /driver): the page itself opens with no
// network, e.g. reloaded in a dead zone. At install it keeps /driver and every file its HTML names
// (the hashed script, style and module chunks); then the page is asked of the network first and
// of the cache when the network fails, and the hashed files (immutable) come from the cache. The
// API is never cached here: the page keeps its last plan and queues its reports itself (queue.ts).
const CACHE = 'urbanlab-driver-v1';
const PAGE = '/driver';

interface FetchEventLike { request: Request; respondWith(r: Promise<Response>): void }
interface ExtendableEventLike { waitUntil(p: Promise<unknown>): void }
const sw = self as unknown as {
  addEventListener(type: 'install' | 'activate', fn: (e: ExtendableEventLike) => void): void;
  addEventListener(type: 'fetch', fn: (e: FetchEventLike) => void): void;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  location: Location;
};

/** The same-origin files the page's HTML loads (script src, link href). */
function assetsOf(html: string): string[] {
  const out = new Set<string>();
  for (const m of html.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)="(\/assets\/[^"]+)"/g)) out.add(m[1]!);
  return [...out];
}

async function precache(): Promise<void> {
  const cache = await caches.open(CACHE);
  const page = await fetch(PAGE, { cache: 'no-cache' });
  if (!page.ok) throw new Error(`${PAGE}: HTTP ${page.status}`);
  await cache.put(PAGE, page.clone());
  await cache.addAll(assetsOf(await page.text()));
}

sw.addEventListener('install', (e) => e.waitUntil(precache().then(() => sw.skipWaiting())));
sw.addEventListener('activate', (e) => e.waitUntil((async () => {
  for (const k of await caches.keys()) if (k !== CACHE) await caches.delete(k);
  await sw.clients.claim();
})()));

sw.addEventListener('fetch', (e) => {
  const url = new URL(e.request.url);
  if (e.request.method !== 'GET' || url.origin !== sw.location.origin) return;
  if (url.pathname === PAGE) {
    e.respondWith((async () => {
      try {
        const fresh = await fetch(e.request);
        if (fresh.ok) {
          // A new build's page names new files: keep them for the next time offline.
          const cache = await caches.open(CACHE);
          await cache.put(PAGE, fresh.clone());
          void fresh.clone().text().then((html) => cache.addAll(assetsOf(html))).catch(() => undefined);
        }
        return fresh;
      } catch (err) {
        const kept = await caches.match(PAGE);
        if (kept) return kept;
        throw err;
      }
    })());
  } else if (url.pathname.startsWith('/assets/')) {
    e.respondWith(caches.match(e.request).then((hit) => hit ?? fetch(e.request)));
  }
});
