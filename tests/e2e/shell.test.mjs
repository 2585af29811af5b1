// The app shell: every page renders with the navigation, at / and under a
// sub-path, with no console error, page error or request to another host.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serveDist, launch, watchedPage, waitForApp, shot, distDir } from './harness.mjs';

const PAGES = [
  ['overview', '#/', 'Overview'],
  ['tasks', '#/tasks', 'Tasks'],
  ['results', '#/results', 'Results'],
  ['runs', '#/runs', 'Runs'],
  ['datasets', '#/datasets', 'Datasets'],
  ['case-studies', '#/case-studies', 'Case studies'],
  ['findings', '#/findings', 'Findings'],
  ['search', '#/search', 'Search'],
  ['about', '#/about', 'About'],
];

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

for (const base of ['/', '/explorer/']) {
  test(`every page renders with navigation at ${base}`, async () => {
    const { context, page, problems } = await watchedPage(browser, server.origin);
    for (const [name, hash, title] of PAGES) {
      await page.goto(`${server.origin}${base}${hash}`);
      await waitForApp(page);
      await page.waitForSelector(`.page-heading h1:text-is("${title}")`, { timeout: 15000 });
      const navLinks = await page.locator('header nav a').count();
      assert.equal(navLinks, PAGES.length, `${name}: navigation has every entry`);
      const active = await page.locator('header nav a.active').getAttribute('data-nav');
      assert.equal(active, name, `${name}: its navigation entry is marked active`);
      assert.match(await page.locator('footer').innerText(), /SpatialBench Explorer v\d+\.\d+\.\d+/);
      if (base === '/') await shot(page, `page-${name}`);
    }
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test('navigation by clicking changes the page and the address', async () => {
  const { context, page, problems } = await watchedPage(browser, server.origin);
  await page.goto(`${server.origin}/explorer/`);
  await waitForApp(page);
  await page.click('header nav a[data-nav="about"]');
  await page.waitForSelector('.page-heading h1:text-is("About")');
  assert.match(page.url(), /\/explorer\/#\/about$/);
  await page.goBack();
  await page.waitForSelector('.page-heading h1:text-is("Overview")');
  assert.deepEqual(problems, []);
  await context.close();
});

test('an unknown address shows a not-found page, not a dead page', async () => {
  const { context, page, problems } = await watchedPage(browser, server.origin);
  await page.goto(`${server.origin}/#/no/such/page`);
  await waitForApp(page);
  await page.waitForSelector('.not-found h1');
  assert.match(await page.locator('.not-found').innerText(), /no\/such\/page/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the page\'s wasm stays within the 1 MB gzip budget; the HDF5 reader is only in the worker', () => {
  // the same measure as BENCHMARKS.md and .ci/build-site: GNU gzip -9
  const gz = (f) => execFileSync('gzip', ['-9c', path.join(distDir, f)], { maxBuffer: 64 << 20 }).length;
  const main = gz('spatialbench-explorer_bg.wasm');
  console.log(`page wasm ${main} bytes gzip, worker wasm ${gz('data-worker_bg.wasm')} bytes gzip`);
  assert.ok(main < 1_000_000, `page wasm is ${main} bytes gzip`);
  const marker = 'unsupported superblock version'; // an error text of the HDF5 reader crate
  assert.ok(fs.readFileSync(path.join(distDir, 'data-worker_bg.wasm')).includes(marker), 'the worker reads h5ad');
  assert.ok(!fs.readFileSync(path.join(distDir, 'spatialbench-explorer_bg.wasm')).includes(marker), 'the page does not');
});

test('a cold load shows the overview with its counts; the times are printed', async () => {
  // A fresh context: no HTTP cache, no compiled wasm kept by the browser.
  const { context, page, problems } = await watchedPage(browser, server.origin);
  const t0 = Date.now();
  await page.goto(`${server.origin}/#/`);
  await page.waitForSelector('[data-stat="evals"] .n');
  const shown = Date.now() - t0;
  const n = Number(await page.locator('[data-stat="evals"] .n').innerText());
  assert.ok(n > 0, `the overview counts evals (${n})`);
  const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
  console.log(`cold load: first contentful paint ${fcp.toFixed(0)} ms, overview with counts ${shown} ms after navigation`);
  assert.deepEqual(problems, []);
  await context.close();
});
