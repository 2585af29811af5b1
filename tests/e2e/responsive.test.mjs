// The page never freezes for a second: along the main journeys (start with the
// built-in bundle, the lists, the longest trajectory, a regrade, the datasets,
// opening the whole benchmark folder from disk) no main-thread task lasts 1 s.
// Chromium reports every task over 50 ms as a `longtask` entry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serveDist, launch, watchedPage, waitForApp, distDir, repoRoot } from './harness.mjs';

const manifest = JSON.parse(fs.readFileSync(path.join(distDir, 'bundle', 'manifest.json'), 'utf8'));
const bench = path.resolve(repoRoot, '..', 'shared', 'bench');
const enc = encodeURIComponent;
const LIMIT_MS = 1000;

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** The longest task since the last call, in ms (0 when none passed 50 ms). */
async function longestTask(page) {
  return page.evaluate(() => {
    const ms = Math.max(0, ...window.__longTasks.map((t) => t.ms));
    window.__longTasks = [];
    return Math.round(ms);
  });
}

test('no main-thread task lasts a second along the main journeys', { timeout: 600000 }, async () => {
  const { context, page, problems } = await watchedPage(browser, server.origin);
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ ms: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  const longest = {};
  const step = async (name, go, ready) => {
    await go();
    await ready();
    await page.waitForTimeout(200);
    longest[name] = await longestTask(page);
  };
  const hash = (h) => () => page.evaluate((x) => { location.hash = x; }, h);

  await step('start and load the built-in bundle', () => page.goto(`${server.origin}/#/`),
    async () => { await waitForApp(page); await page.waitForSelector('[data-stat="runs"] .n'); });
  await step('tasks', hash('#/tasks'), () => page.waitForSelector('table.data tbody tr'));
  await step('results', hash('#/results'), () => page.waitForSelector('table.data tbody tr'));
  await step('runs', hash('#/runs'), () => page.waitForSelector('.count[data-count="349"]'));
  const longRun = manifest.runs.filter((r) => r.n_steps).sort((a, b) => b.n_steps - a.n_steps)[0];
  await step(`the longest trajectory (${longRun.n_steps} steps)`, hash(`#/runs/${enc(longRun.id)}?suite=${enc(longRun.suite)}`),
    () => page.waitForSelector('.step-count', { timeout: 30000 }));
  const byEval = {};
  for (const r of manifest.runs) byEval[`${r.suite}\t${r.eval_id}`] = (byEval[`${r.suite}\t${r.eval_id}`] || 0) + 1;
  const [key, n] = Object.entries(byEval).sort((a, b) => b[1] - a[1])[0];
  const [suite, evalId] = key.split('\t');
  await step(`regrade ${n} runs`, hash(`#/regrade/${enc(evalId)}?suite=${enc(suite)}`),
    () => page.waitForSelector(`.rates[data-runs="${n}"]`, { timeout: 30000 }));
  await step('datasets', hash('#/datasets'), () => page.waitForSelector('[data-testid=datasets-table]'));
  const index = JSON.parse(fs.readFileSync(path.join(distDir, 'bundle/datasets/index.json'), 'utf8'));
  const big = index.datasets.sort((a, b) => b.rows - a.rows)[0];
  await step(`open the largest built-in dataset (${big.rows} rows)`, () => page.click(`[data-testid="open-${big.id}"]`),
    () => page.waitForFunction((sel) => Number(document.querySelector(sel)?.getAttribute('data-draws')) > 0,
      `[data-testid=dataset-view][data-dataset="${big.id}"] [data-testid=viewer]`, { timeout: 60000 }));
  if (fs.existsSync(bench)) {
    await step('open the whole benchmark folder from disk', async () => {
      await page.evaluate(() => { location.hash = '#/'; });
      await page.setInputFiles('input.folder-input', bench);
    }, () => page.waitForSelector('.disk-progress.finished', { timeout: 300000 }));
  } else {
    console.log(`${bench} absent: the folder journey is skipped`);
  }

  for (const [name, ms] of Object.entries(longest)) console.log(`longest main-thread task, ${name}: ${ms} ms`);
  for (const [name, ms] of Object.entries(longest)) assert.ok(ms < LIMIT_MS, `${name}: a ${ms} ms task froze the page`);
  assert.deepEqual(problems, []);
  await context.close();
});
