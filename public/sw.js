// Offline support: caches the app shell, the wasm and every fetched bundle
// file on first use (stale-while-revalidate for same-origin GETs), so after
// one visit the explorer works with the network off.
const CACHE = 'sbx-v2';
const SHELL = ['./', 'index.html', 'boot.js', 'style.css', 'spatialbench-explorer.js',
  'spatialbench-explorer_bg.wasm', 'favicon.svg', 'bundles.json', 'bundle/manifest.json',
  // the .h5ad converter, a Web Worker with its own wasm
  'data-worker_loader.js', 'data-worker.js', 'data-worker_bg.wasm'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL).catch(() => {})).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || new URL(req.url).origin !== self.location.origin) return;
  event.respondWith(caches.open(CACHE).then(async (cache) => {
    const cached = await cache.match(req, { ignoreSearch: true });
    const network = fetch(req).then((res) => {
      if (res.ok) cache.put(req, res.clone());
      return res;
    }).catch(() => cached || Response.error());
    return cached || network;
  }));
});
