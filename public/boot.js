// Loads the WebAssembly app. Kept as a file (not an inline script) so the
// Content-Security-Policy can forbid inline scripts.
import init from './spatialbench-explorer.js';

function showFatal(message) {
  const el = document.getElementById('fatal-error');
  if (!el) return;
  el.hidden = false;
  el.textContent = 'SpatialBench Explorer stopped: ' + message + ' — reload the page to start again.';
}
window.__sbxShowFatal = showFatal;

init().then(() => {
  const status = document.getElementById('boot-status');
  if (status) status.remove();
}).catch((err) => showFatal(String(err && err.message ? err.message : err)));

if ('serviceWorker' in navigator && location.protocol !== 'file:') {
  navigator.serviceWorker.register('sw.js').catch(() => {});
}
