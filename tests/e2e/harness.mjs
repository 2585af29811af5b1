// Shared end-to-end harness: a static file server for dist/ (at / and under
// /explorer/), a Chromium launched from Debian's package, and a page that
// records console errors, page errors and requests to any other host.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../..');
export const distDir = process.env.SBX_DIST ? path.resolve(process.env.SBX_DIST) : path.join(repoRoot, 'dist');
export const shotDir = path.join(repoRoot, 'target', 'e2e');
fs.mkdirSync(shotDir, { recursive: true });

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json',
  '.arrow': 'application/vnd.apache.arrow.file', '.png': 'image/png', '.txt': 'text/plain',
};

/** Serves dist/ at `/` and at `/explorer/`; resolves to { url, close }. */
export function serveDist(root = distDir) {
  const server = http.createServer((req, res) => {
    let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (p.startsWith('/explorer/')) p = p.slice('/explorer'.length);
    else if (p === '/explorer') { res.writeHead(301, { Location: '/explorer/' }); res.end(); return; }
    if (p.endsWith('/')) p += 'index.html';
    const file = path.join(root, path.normalize(p));
    if (!file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }); res.end('not found'); return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    resolve({ origin: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) });
  }));
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A new page that records every problem the tests must fail on. */
export async function watchedPage(browser, origin) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (!['data:', 'blob:'].includes(u.protocol) && u.origin !== origin) problems.push(`request to another host: ${r.url()}`);
  });
  return { context, page, problems };
}

/** Waits until the app has mounted (the header is on screen). */
export async function waitForApp(page) {
  await page.waitForSelector('header.site-header nav', { timeout: 30000 });
}

export async function shot(page, name) {
  await page.screenshot({ path: path.join(shotDir, `${name}.png`), fullPage: true });
}

/** The number in `data-value` of the element with `data-testid` `id`. */
export const num = async (page, id) => Number(await page.locator(`[data-testid="${id}"]`).first().getAttribute('data-value'));

/** Opens the 1M synthetic file `times` more times in the Datasets page (its view is
 *  `scope`), each once the load before it is done; the decode time of each. */
export async function reopenSynthetic(page, scope, times) {
  const ms = [];
  for (let i = 0; i < times; i++) {
    const seq = Number(await page.locator(scope).getAttribute('data-load'));
    await page.click('[data-testid=open-synthetic]');
    await page.waitForFunction(([sel, n]) => Number(document.querySelector(sel)?.getAttribute('data-load')) > n, [scope, seq], { timeout: 240000 });
    ms.push(await num(page, 'decode-ms'));
  }
  return ms;
}
