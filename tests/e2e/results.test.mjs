// The Results and Compare pages' statistics on the real benchmark folders:
// forest panels per group with clipped t intervals marked and a bootstrap
// interval beside them, the published tables drawn, the viridis heatmap, the
// speed–accuracy chart with the review's headline (GPT-5.5 against GPT-5.4),
// and the eval-level comparison checked against an independent computation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serveDist, launch, watchedPage, waitForApp, shot, distDir, repoRoot } from './harness.mjs';

const manifest = JSON.parse(fs.readFileSync(path.join(distDir, 'bundle', 'manifest.json'), 'utf8'));
// Written by bench/stats/eval_level.py (scipy) from ../shared/bench/scbench.
const pyStats = JSON.parse(fs.readFileSync(path.join(repoRoot, 'bench', 'stats', 'eval_level_scbench.json'), 'utf8'));
const enc = encodeURIComponent;

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function open(page, hash) {
  await page.goto(`${server.origin}/${hash}`);
  await waitForApp(page);
}

const drawnSize = (page, sel) => page.$eval(sel, (c) => c.toDataURL().length);

test('results: one forest panel per group, clipped t intervals marked, bootstrap beside', async () => {
  const { context, page, problems } = await watchedPage(browser, server.origin);
  await open(page, '#/results?suite=scbench&by=platform');
  await page.waitForSelector('[data-chart^="accuracy"] canvas');
  await page.waitForSelector('.accuracy .sortable tbody tr');
  // Six platforms, each a panel: the canvas grows with the panel rows.
  const h = await page.$eval('[data-chart^="accuracy"] canvas', (c) => c.height);
  assert.ok(h > 2 * 18 * 16, `height ${h}`);
  assert.ok((await drawnSize(page, '[data-chart^="accuracy"] canvas')) > 20000);
  assert.match(await page.locator('.accuracy .chart-key').innerText(), /without interval/);
  // Overall: several t intervals leave [0, 100]; they are shown clipped with a mark.
  await page.selectOption('select[data-filter="by"]', 'overall');
  await page.waitForFunction(() => location.hash.includes('by=overall'));
  const rows = await page.locator('.accuracy .sortable tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText)));
  let clipped = 0;
  for (const r of rows) {
    const [shown, lo, hi, blo, bhi] = [r[4], Number(r[5]), Number(r[6]), Number(r[7]), Number(r[8])];
    const outside = lo < 0 || hi > 100;
    assert.equal(/[‹›]/.test(shown), outside, `${r[1]}: ${shown} from ${lo}..${hi}`);
    const [slo, shi] = shown.replace(/[[\]‹›]/g, '').split(',').map(Number);
    assert.ok(slo >= 0 && shi <= 100, shown);
    assert.ok(blo >= 0 && bhi <= 100 && blo <= Number(r[3]) && Number(r[3]) <= bhi, `bootstrap ${blo}..${bhi}`);
    clipped += outside;
  }
  assert.ok(clipped >= 10, `${clipped} clipped rows`);
  // The bootstrap interval from the page equals the Python one for gpt-5.5 (openai-codex).
  const codex = rows.find((r) => r[1] === 'gpt-5.5' && r[2] === 'openai-codex');
  const py = pyStats.models.find((m) => m.key[0] === 'gpt-5.5' && m.key[1] === 'openai-codex');
  assert.equal(Number(codex[7]).toFixed(1), py.accuracy_bootstrap[0].toFixed(1));
  assert.equal(Number(codex[8]).toFixed(1), py.accuracy_bootstrap[1].toFixed(1));
  await page.selectOption('select[data-filter="ci"]', 'bootstrap');
  await page.waitForFunction(() => location.hash.includes('ci=bootstrap'));
  // Heatmap key: viridis ends.
  const swatch = await page.$eval('.swatch.heat-0', (e) => getComputedStyle(e).backgroundColor);
  assert.equal(swatch, 'rgb(68, 1, 84)');
  // Published tables are drawn as forest plots too.
  const published = page.locator('.published [data-chart^="published"] canvas');
  assert.ok((await published.count()) >= 2);
  assert.ok((await drawnSize(page, '.published [data-chart^="published"] canvas')) > 20000);
  await shot(page, 'results-forest');
  await page.locator('.accuracy [data-chart] canvas').screenshot({ path: path.join(repoRoot, 'target', 'e2e', 'results-forest-chart.png') });
  await page.locator('.published [data-chart] canvas').first().screenshot({ path: path.join(repoRoot, 'target', 'e2e', 'results-published-chart.png') });
  assert.deepEqual(problems, []);
  await context.close();
});

test('results: speed against accuracy shows GPT-5.5 halving GPT-5.4\'s time', async () => {
  const { context, page, problems } = await watchedPage(browser, server.origin);
  await open(page, '#/results?suite=scbench&by=overall');
  await page.waitForSelector('[data-chart^="speed"] canvas');
  // Default source: the published table; default pair: the largest saving of time.
  const text = await page.locator('.speed-pair').innerText();
  assert.match(text, /^gpt-5\.5 \(mini-swe-agent\) against gpt-5\.4 \(mini-swe-agent\): accuracy \+0\.5 points; mean time 0\.44×/, text);
  const rows = await page.locator('.speed .sortable tbody tr').count();
  assert.ok(rows >= 16, `${rows}`);
  assert.ok((await drawnSize(page, '[data-chart^="speed"] canvas')) > 20000);
  await page.locator('.speed [data-chart] canvas').screenshot({ path: path.join(repoRoot, 'target', 'e2e', 'results-speed-published.png') });
  // CSV of the points.
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('.speed button.export-csv').click()]);
  assert.match(fs.readFileSync(await dl.path(), 'utf8').split('\n')[0], /^model,harness,accuracy,/);
  const [svg] = await Promise.all([page.waitForEvent('download'), page.locator('.speed button.export-svg').click()]);
  assert.match(fs.readFileSync(await svg.path(), 'utf8'), /<svg[\s\S]*<polygon[\s\S]*<\/svg>/);
  // From the loaded runs: the ratio and its interval over evals agree with Python.
  await page.selectOption('select[data-filter="speed-source"]', 'runs');
  await page.waitForFunction(() => document.querySelector('.speed-pair')?.innerText.includes('bootstrap'));
  const pyRatio = pyStats.ratios.find((r) => r.measure === 'duration' && r.newer[0] === 'gpt-5.5');
  const runsText = await page.locator('.speed-pair').innerText();
  assert.ok(runsText.startsWith('gpt-5.5 (mini-swe-agent) against gpt-5.4 (mini-swe-agent)'), runsText);
  const want = `${pyRatio.ratio.toFixed(2)}× (95% interval ${pyRatio.bootstrap[0].toFixed(2)}× to ${pyRatio.bootstrap[1].toFixed(2)}×, over ${pyRatio.n_evals} evals)`;
  assert.ok(runsText.includes(want), `${runsText}\nwants ${want}`);
  await page.selectOption('select[data-filter="speed-measure"]', 'cost');
  await page.waitForFunction(() => document.querySelector('.speed-pair')?.innerText.includes('mean cost'));
  await shot(page, 'results-speed');
  // spatialbench: published times and costs with intervals.
  await page.selectOption('select[data-filter="suite"]', 'spatialbench');
  await page.waitForFunction(() => document.querySelector('.speed-pair')?.innerText.includes('against'));
  await page.locator('.speed [data-chart] canvas').screenshot({ path: path.join(repoRoot, 'target', 'e2e', 'results-speed-spatialbench.png') });
  assert.deepEqual(problems, []);
  await context.close();
});

/** Exact paired sign-flip p over per-eval differences (all 2^n flips). */
function signFlipP(d) {
  const obs = Math.abs(d.reduce((a, b) => a + b, 0));
  let hits = 0;
  for (let m = 0; m < 2 ** d.length; m++) {
    const s = d.reduce((acc, x, i) => acc + ((m >> i) & 1 ? -x : x), 0);
    if (Math.abs(s) >= obs - 1e-9) hits++;
  }
  return hits / 2 ** d.length;
}

test('compare: eval-level test, interval and verdict', async () => {
  const { context, page, problems } = await watchedPage(browser, server.origin);
  const [a, b] = ['claude-opus-4-6', 'gpt-5.2'];
  await open(page, `#/compare?a=${enc(`${a}|mini-swe-agent`)}&b=${enc(`${b}|mini-swe-agent`)}`);
  await page.waitForSelector('.eval-level .test-used');
  assert.equal(await page.locator('.eval-level').getAttribute('data-test'), 'ExactPermutation');
  // Independent: per-eval pass rates from the manifest's runs.
  const rates = (m) => {
    const by = new Map();
    for (const r of manifest.runs.filter((r) => r.suite === 'scbench' && r.model === m && r.harness === 'mini-swe-agent' && r.passed !== null)) {
      const c = by.get(r.eval_id) ?? [0, 0];
      c[0] += r.passed ? 1 : 0; c[1] += 1; by.set(r.eval_id, c);
    }
    return by;
  };
  const ra = rates(a), rb = rates(b);
  const d = [...ra.keys()].filter((e) => rb.has(e)).map((e) => 100 * (ra.get(e)[0] / ra.get(e)[1] - rb.get(e)[0] / rb.get(e)[1]));
  const p = Number(await page.locator('.test-used').getAttribute('data-p'));
  assert.ok(Math.abs(p - signFlipP(d)) < 1e-9, `p ${p} vs ${signFlipP(d)}`);
  const mean = d.reduce((x, y) => x + y, 0) / d.length;
  const summary = await page.locator('.eval-level .summary').innerText();
  assert.ok(summary.includes(`${mean >= 0 ? '+' : ''}${mean.toFixed(1)} points`) && summary.includes(`${d.length} shared evals`), summary);
  const py = pyStats.comparisons.find((c) => c.a[0] === a && c.b[0] === b);
  const [lo, hi] = py.bootstrap;
  const verdict = await page.locator('.verdict').innerText();
  assert.equal(verdict.startsWith('No detectable difference'), lo <= 0 && hi >= 0, verdict);
  assert.match(await page.locator('.test-used').innerText(), /not pairs/);
  assert.ok((await page.locator('[data-table="compare"] tbody tr').count()) === d.length);
  await shot(page, 'compare-eval-level');
  assert.deepEqual(problems, []);
  await context.close();
});
