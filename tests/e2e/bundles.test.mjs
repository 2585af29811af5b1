// Extra bundles: a user copies a bundle made by `sbx bundle` into a built
// site and lists it in bundles.json; the site then shows it beside the
// built-in content, and a broken entry is reported without stopping the rest.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serveDist, distDir, launch, watchedPage, waitForApp, shot } from './harness.mjs';

let site, server, browser;
before(async () => {
  site = fs.mkdtempSync(path.join(os.tmpdir(), 'sbx-site-'));
  fs.cpSync(distDir, site, { recursive: true });
  fs.cpSync(path.join(distDir, 'bundle'), path.join(site, 'extra', 'mybench'), {
    recursive: true, filter: (src) => !src.includes(`${path.sep}datasets`),
  });
  fs.mkdirSync(path.join(site, 'extra', 'broken'), { recursive: true });
  fs.writeFileSync(path.join(site, 'extra', 'broken', 'manifest.json'), '{"format": "sbx-bundle", "truncated');
  fs.writeFileSync(path.join(site, 'bundles.json'), JSON.stringify({
    format: 'sbx-bundles', version: 1,
    bundles: [{ name: 'My bench', url: 'extra/mybench/' }, { name: 'Broken one', url: 'extra/broken/' }],
  }));
  server = await serveDist(site);
  browser = await launch();
});
after(async () => {
  await browser?.close(); await server?.close();
  fs.rmSync(site, { recursive: true, force: true });
});

test('bundles listed in bundles.json load beside the built-in one; a broken one is named', async () => {
  const { context, page, problems } = await watchedPage(browser, server.origin);
  const builtIn = JSON.parse(fs.readFileSync(path.join(distDir, 'bundle', 'manifest.json'), 'utf8'));
  await page.goto(`${server.origin}/explorer/#/`);
  await waitForApp(page);
  const want = String(builtIn.evals.length * 2);
  await page.waitForFunction((n) => document.querySelector('[data-stat="evals"] .n')?.textContent === n, want, { timeout: 30000 });
  assert.match(await page.locator('.error-panel').innerText(), /Broken one/);
  await page.click('header nav a[data-nav="tasks"]');
  await page.waitForSelector('.page-heading h1:text-is("Tasks")');
  await shot(page, 'bundles-extra');
  assert.deepEqual(problems, []);
  await context.close();
});
