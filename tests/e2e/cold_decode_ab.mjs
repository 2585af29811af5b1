// Cold against warm decode of the 1,000,000-point synthetic file, one fresh browser per
// run, for one or more builds side by side (BENCHMARKS.md, "Cold against warm"):
//   node cold_decode_ab.mjs DIST [DIST ...]     (RUNS=3 by default)
// Prints, per build and run, the first decode in the fresh page and four reopenings.
// Not a test (node --test does not pick it up): timings only, for A/B comparisons.
// CHROMIUM_FLAGS adds browser flags (e.g. "--js-flags=--no-liftoff --no-wasm-lazy-compilation").
import { serveDist, num, reopenSynthetic } from './harness.mjs';
import { chromium } from 'playwright-core';

const dists = process.argv.slice(2);
if (dists.length === 0) { console.error('usage: node cold_decode_ab.mjs DIST [DIST ...]'); process.exit(2); }
const runs = Number(process.env.RUNS || 3);
const scope = '[data-testid=dataset-view][data-dataset="synthetic-1m"]';
for (let r = 0; r < runs; r++) {
  for (const dist of dists) {
    const server = await serveDist(dist);
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', ...(process.env.CHROMIUM_FLAGS || '').split(' ').filter(Boolean)] });
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${server.origin}/#/datasets`);
    await page.waitForSelector('header.site-header nav');
    await page.click('[data-testid=open-synthetic]');
    await page.waitForSelector(`${scope} [data-testid=viewer][data-rows="1000000"]`, { timeout: 240000 });
    await page.waitForFunction(() => document.querySelector('[data-testid="decode-ms"]')?.getAttribute('data-value'));
    const cold = await num(page, 'decode-ms');
    const warm = await reopenSynthetic(page, scope, 4);
    console.log(JSON.stringify({ dist, run: r + 1, cold_ms: cold, reopened_ms: warm }));
    await browser.close();
    await server.close();
  }
}
