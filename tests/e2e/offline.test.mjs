// Offline static hosting: after one visit the service worker serves the app
// shell, the wasm and the bundle files it fetched, so a reload with the
// network cut still shows the explorer and its demo content.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, watchedPage, waitForApp, shot } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('the explorer reloads and works with the network off after one visit (under /explorer/)', async () => {
  const { context, page } = await watchedPage(browser, server.origin);
  await page.goto(`${server.origin}/explorer/#/`);
  await waitForApp(page);
  await page.waitForSelector('[data-stat="evals"]', { timeout: 30000 });
  const evalsOnline = await page.locator('[data-stat="evals"] .n').innerText();
  const ready = await page.evaluate(() => Promise.race([
    navigator.serviceWorker.ready.then(() => true),
    new Promise((r) => setTimeout(() => r(false), 10000)),
  ]));
  assert.ok(ready, 'a service worker controls the page');
  // One more load so the controlling worker has seen every request.
  await page.reload();
  await waitForApp(page);
  await page.waitForSelector('[data-stat="evals"]');

  await context.setOffline(true);
  await page.reload();
  await waitForApp(page);
  await page.waitForSelector('[data-stat="evals"]', { timeout: 30000 });
  assert.equal(await page.locator('[data-stat="evals"] .n').innerText(), evalsOnline, 'same content offline');
  await page.click('header nav a[data-nav="about"]');
  await page.waitForSelector('.page-heading h1:text-is("About")');
  await shot(page, 'offline-about');
  await context.close();
});
