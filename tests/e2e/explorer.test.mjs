// The explorer pages on the built-in bundle (demo suite + the three folders
// of ../shared/bench): every eval and run is found, one trajectory of each
// harness format opens, runs regraded in the page agree with their recorded
// verdicts, the regrade page recomputes pass rates from an edited grader,
// and a benchmark folder opened from disk loads with a progress bar.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serveDist, launch, watchedPage, waitForApp, shot, distDir, repoRoot } from './harness.mjs';

const manifest = JSON.parse(fs.readFileSync(path.join(distDir, 'bundle', 'manifest.json'), 'utf8'));
const shared = path.resolve(repoRoot, '..', 'shared');
const enc = encodeURIComponent;
const runHash = (r) => `#/runs/${enc(r.id)}?suite=${enc(r.suite)}`;

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function open(page, hash) {
  await page.goto(`${server.origin}/${hash}`);
  await waitForApp(page);
}

test('the bundle holds what the benchmark folders hold', () => {
  // Independent expectation: the folders' own contents (see ../shared/bench).
  assert.equal(manifest.evals.length, 20 + 9); // ../shared/bench, then the demo's 9 evals
  assert.equal(manifest.runs.length, 289 + 60); // and its 60 runs
});

test('overview: suites, counts and leaderboard', async () => {
  const { context, page, problems } = await watchedPage(browser, server.origin);
  await open(page, '#/');
  await page.waitForSelector('[data-stat="evals"] .n');
  assert.equal(await page.locator('[data-stat="evals"] .n').innerText(), '29');
  assert.equal(await page.locator('[data-stat="runs"] .n').innerText(), '349');
  assert.equal(await page.locator('[data-stat="suites"] .n').innerText(), '4');
  for (const s of ['sbx-demo', 'spatialbench', 'scbench', 'spatialbench-long']) {
    assert.equal(await page.locator(`.suite-table tr[data-suite="${s}"]`).count(), 1, s);
  }
  // scbench: 18 model/harness configurations with graded runs.
  const lb = page.locator('.leaderboard[data-suite="scbench"] tbody tr');
  assert.ok((await lb.count()) >= 10);
  assert.match(await lb.first().innerText(), /\d+\.\d%/);
  await shot(page, 'explorer-overview');
  assert.deepEqual(problems, []);
  await context.close();
});

test('tasks: every eval, filters in the address, search over prompts', async () => {
  const { context, page, problems } = await watchedPage(browser, server.origin);
  await open(page, '#/tasks');
  await page.waitForSelector('.count[data-count="29"]');
  assert.equal(await page.locator('[data-table="tasks"] tbody tr').count(), 29);
  await page.selectOption('select[data-filter="suite"]', 'scbench');
  await page.waitForSelector('.count[data-count="6"]');
  assert.match(page.url(), /suite=scbench/);
  // The filter survives a reload (it lives in the address).
  await page.reload();
  await waitForApp(page);
  await page.waitForSelector('.count[data-count="6"]');
  // Full-text search over the full prompt: a word of a prompt not in any id.
  await page.selectOption('select[data-filter="suite"]', '');
  await page.waitForSelector('.count[data-count="29"]');
  const de = (await (await fetch(`${server.origin}/bundle/evals/scbench.json`)).json()).find((e) => e.id === 'DE01_pseudobulk_de');
  assert.ok(de, 'DE01_pseudobulk_de is in scbench');
  await page.fill('input[data-filter="q"]', 'pseudobulk');
  await page.press('input[data-filter="q"]', 'Enter');
  await page.waitForFunction(() => Number(document.querySelector('.count')?.dataset.count) < 30);
  assert.match(page.url(), /q=pseudobulk/);
  assert.ok(await page.locator('[data-table="tasks"] a', { hasText: 'DE01_pseudobulk_de' }).count() === 1);
  // Pass-rate range.
  await page.fill('input[data-filter="q"]', '');
  await page.press('input[data-filter="q"]', 'Enter');
  await page.fill('input[data-filter="min"]', '101');
  await page.press('input[data-filter="min"]', 'Enter');
  await page.waitForSelector('.count[data-count="0"]');
  await page.click('button.clear-filters');
  await page.waitForSelector('.count[data-count="29"]');
  await shot(page, 'explorer-tasks');
  assert.deepEqual(problems, []);
  await context.close();
});

test('task page: prompt as text, grader readable and raw, lint, runs', async () => {
  const { context, page, problems } = await watchedPage(browser, server.origin);
  await open(page, '#/tasks/DE01_pseudobulk_de?suite=scbench');
  await page.waitForSelector('.prompt-text');
  assert.match(await page.locator('.prompt-text').innerText(), /pseudobulk|DE/i);
  assert.match(await page.locator('.grader-summary').innerText(), /n_degs.*1150.*350/);
  assert.match(await page.locator('.raw-json').textContent(), /"numeric_tolerance"/);
  await page.waitForSelector('.lint-list, .lint-none');
  const runs = manifest.runs.filter((r) => r.suite === 'scbench' && r.eval_id === 'DE01_pseudobulk_de');
  await page.waitForFunction((n) => document.querySelectorAll('.sortable tbody tr').length === n, runs.length);
  await shot(page, 'explorer-task');
  assert.deepEqual(problems, []);
  await context.close();
});

test('runs list: every run, filter by harness', async () => {
  const { context, page, problems } = await watchedPage(browser, server.origin);
  await open(page, '#/runs');
  await page.waitForSelector('.count[data-count="349"]');
  await page.selectOption('select[data-filter="harness"]', 'pi');
  const pi = manifest.runs.filter((r) => r.harness === 'pi').length;
  await page.waitForSelector(`.count[data-count="${pi}"]`);
  assert.match(page.url(), /harness=pi/);
  await shot(page, 'explorer-runs');
  assert.deepEqual(problems, []);
  await context.close();
});

test('one trajectory of each harness format opens step by step', async () => {
  const { context, page, problems } = await watchedPage(browser, server.origin);
  for (const format of ['mini-swe-agent', 'claude-code', 'openai-codex', 'pi']) {
    const r = manifest.runs.find((x) => x.trajectory_format === format);
    assert.ok(r, `a run with a ${format} trajectory`);
    await open(page, runHash(r));
    await page.waitForSelector('.step-count', { timeout: 20000 });
    assert.equal(await page.locator('.step-count').getAttribute('data-steps'), String(r.n_steps));
    assert.equal(await page.locator('ol.steps > li').count(), r.n_steps);
    assert.match(await page.locator('.trajectory-format').innerText(), new RegExp(format));
    // Tool outputs are collapsed; opening one shows its text.
    const out = page.locator('details.tool-output').first();
    if (await out.count()) {
      await out.locator('summary').click();
      assert.ok(await out.locator('pre.out').isVisible());
    }
    // A long output is cut with a button that shows all of it.
    const expand = page.locator('button.expand').first();
    if (await expand.count()) {
      const details = expand.locator('xpath=ancestor::details[1]');
      if (await details.count()) await details.locator('summary').click();
      const pre = expand.locator('xpath=preceding-sibling::pre[1]');
      const before = (await pre.textContent()).length;
      await expand.click();
      assert.ok((await pre.textContent()).length > before, `${format}: expanding shows more`);
    }
    await shot(page, `explorer-run-${format}`);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('runs regraded live in the page agree with their recorded verdicts', async () => {
  const { context, page, problems } = await watchedPage(browser, server.origin);
  // Every scbench eval, a passing and a failing run of each where there is one.
  const picks = [];
  for (const e of manifest.evals.filter((x) => x.suite === 'scbench')) {
    for (const v of [true, false]) {
      const r = manifest.runs.find((x) => x.suite === 'scbench' && x.eval_id === e.id && x.passed === v && x.has_answer);
      if (r) picks.push(r);
    }
  }
  assert.ok(picks.length >= 8);
  assert.ok(picks.some((r) => r.passed) && picks.some((r) => !r.passed));
  for (const r of picks) {
    await open(page, runHash(r));
    await page.waitForSelector('.live-verdict', { timeout: 20000 });
    const recorded = await page.locator('[data-recorded]').getAttribute('data-recorded');
    assert.equal(recorded, r.passed ? 'pass' : 'fail', r.id);
    assert.equal(await page.locator('.live-verdict').getAttribute('data-live'), recorded, `${r.id}: live verdict`);
    assert.equal(await page.locator('.verdict.differs').count(), 0, r.id);
  }
  await shot(page, 'explorer-run-regraded');
  assert.deepEqual(problems, []);
  await context.close();
});

test('every scbench run regraded in the page agrees with its result.json', async () => {
  const { context, page, problems } = await watchedPage(browser, server.origin);
  let total = 0;
  for (const e of manifest.evals.filter((x) => x.suite === 'scbench')) {
    const runs = manifest.runs.filter((r) => r.suite === 'scbench' && r.eval_id === e.id);
    await open(page, `#/regrade/${enc(e.id)}?suite=scbench`);
    await page.waitForSelector(`.rates[data-runs="${runs.length}"]`, { timeout: 20000 });
    await page.waitForFunction((n) => document.querySelectorAll('.recompute tbody tr').length === n, runs.length);
    assert.equal(await page.locator('.recompute .verdict.differs').count(), 0, `${e.id}: a regraded verdict differs`);
    total += runs.length;
  }
  assert.equal(total, 273);
  assert.deepEqual(problems, []);
  await context.close();
});

test('regrade page: pasted answers, edited tolerance, every run recomputed, reset', async () => {
  const { context, page, problems } = await watchedPage(browser, server.origin);
  await open(page, '#/regrade/DE01_pseudobulk_de?suite=scbench');
  await page.waitForSelector('.rates');
  const runs = manifest.runs.filter((r) => r.suite === 'scbench' && r.eval_id === 'DE01_pseudobulk_de');
  const recordedRate = (100 * runs.filter((r) => r.passed).length / runs.length).toFixed(1) + '%';
  assert.equal(await page.locator('.rates').getAttribute('data-runs'), String(runs.length));
  assert.equal(await page.locator('.rates').getAttribute('data-edited'), recordedRate);
  // Ground truth 1150 ± 350: 1400 passes, 1600 fails.
  await page.fill('textarea.answer-input', 'Done. <EVAL_ANSWER>{"n_degs": 1400}</EVAL_ANSWER>');
  await page.waitForSelector('.pasted-verdict[data-live="pass"]');
  await page.fill('textarea.answer-input', '{"n_degs": 1600}');
  await page.waitForSelector('.pasted-verdict[data-live="fail"]');
  await page.fill('textarea.answer-input', '{"n_degs": ');
  await page.waitForSelector('.answer-error');
  // Tolerance 0: no recorded answer is exactly 1150, so every run fails.
  await page.fill('input[data-setting="config.tolerances.n_degs.value"]', '0');
  await page.press('input[data-setting="config.tolerances.n_degs.value"]', 'Enter');
  await page.waitForSelector('.rates[data-edited="0.0%"]');
  assert.match(await page.locator('textarea.config-input').inputValue(), /"value": 0\b/);
  // Invalid JSON in the raw editor is reported.
  await page.fill('textarea.config-input', '{"type": "numeric_tolerance", ');
  await page.waitForSelector('.config-error');
  await page.click('button.reset');
  await page.waitForSelector(`.rates[data-edited="${recordedRate}"]`);
  await shot(page, 'explorer-regrade');
  assert.deepEqual(problems, []);
  await context.close();
});

test('results: charts, sortable tables, heatmap, published tables', async () => {
  const { context, page, problems } = await watchedPage(browser, server.origin);
  await open(page, '#/results?suite=scbench&by=overall');
  await page.waitForSelector('[data-chart^="accuracy"] canvas');
  const rows = page.locator('.accuracy .sortable tbody tr');
  assert.ok((await rows.count()) >= 10);
  // A numeric header sorts descending first, then ascending.
  await page.click('.accuracy th[data-key="accuracy"]');
  const acc = async (loc) => Number(await loc.locator('td').nth(3).innerText());
  assert.ok((await acc(rows.first())) >= (await acc(rows.last())));
  await page.click('.accuracy th[data-key="accuracy"]');
  assert.ok((await acc(rows.first())) <= (await acc(rows.last())));
  assert.ok(await page.locator('[data-chart^="heatmap"] canvas').isVisible());
  assert.ok((await page.locator('.published').count()) >= 1);
  // A canvas that was drawn on is not blank.
  // The chart is drawn once its SVG image has loaded (the canvas then takes the chart's size).
  await page.waitForFunction(() => document.querySelector('[data-chart^="accuracy"] canvas')?.height !== 200);
  const drawn = await page.$eval('[data-chart^="accuracy"] canvas', (c) => c.toDataURL().length);
  assert.ok(drawn > 5000);
  await page.selectOption('select[data-filter="by"]', 'category');
  await page.waitForFunction(() => location.hash.includes('by=category'));
  await page.waitForSelector('.accuracy .sortable tbody tr');
  // CSV export downloads the rows shown.
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('.accuracy button.export-csv').click()]);
  const csv = fs.readFileSync(await dl.path(), 'utf8');
  assert.match(csv.split('\n')[0], /^group,model,harness,accuracy/);
  const [png] = await Promise.all([page.waitForEvent('download'), page.locator('.accuracy button.export-png').click()]);
  assert.match(png.suggestedFilename(), /\.png$/);
  assert.equal(fs.readFileSync(await png.path()).subarray(1, 4).toString(), 'PNG');
  const [svg] = await Promise.all([page.waitForEvent('download'), page.locator('.heatmap button.export-svg').click()]);
  const svgText = fs.readFileSync(await svg.path(), 'utf8');
  assert.match(svgText, /^<svg[\s\S]*<rect[\s\S]*<\/svg>\s*$/);
  await shot(page, 'explorer-results');
  assert.deepEqual(problems, []);
  await context.close();
});

// Compare (eval-level statistics) is checked in results.test.mjs.

test('a benchmark folder opened from disk loads with a progress bar; bad files are named', async () => {
  const scbench = path.join(shared, 'bench', 'scbench');
  assert.ok(fs.existsSync(scbench), `${scbench} must exist (the benchmark folders are required)`);
  const { context, page, problems } = await watchedPage(browser, server.origin);
  await open(page, '#/tasks');
  await page.waitForSelector('.count[data-count="29"]');
  // Record every progress value shown while loading.
  await page.evaluate(() => {
    window.__progress = [];
    new MutationObserver(() => {
      const p = document.querySelector('.disk-progress progress');
      if (p) window.__progress.push([Number(p.value), Number(p.max)]);
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  await page.setInputFiles('input.folder-input', scbench);
  await page.waitForSelector('.disk-progress.finished', { timeout: 120000 });
  const status = await page.locator('.disk-progress .status').innerText();
  assert.match(status, /Loaded 1 suite\(s\): scbench-2/);
  const seen = await page.evaluate(() => window.__progress);
  assert.ok(seen.some(([v, m]) => v < m), 'the progress bar showed partial progress');
  const [v, m] = seen[seen.length - 1];
  assert.equal(v, m);
  await page.waitForSelector('.count[data-count="35"]'); // the 29 loaded, and scbench's 6 again as scbench-2
  await shot(page, 'explorer-disk-loaded');

  // A folder with a malformed eval: it is reported by name, the rest loads.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sbx-explorer-'));
  const root = path.join(tmp, 'mybench');
  fs.mkdirSync(path.join(root, 'evals'), { recursive: true });
  fs.writeFileSync(path.join(root, 'evals', 'good_one.json'), JSON.stringify({
    id: 'good_one', task: 'Report x.', grader: { type: 'numeric_tolerance', config: { ground_truth: { x: 1 }, tolerances: { x: { type: 'absolute', value: 0.5 } } } },
  }));
  fs.writeFileSync(path.join(root, 'evals', 'broken_eval.json'), '{"id": "broken_eval", "task": ');
  await page.setInputFiles('input.folder-input', root);
  await page.waitForFunction(() => /mybench/.test(document.querySelector('.disk-progress .status')?.textContent || ''));
  await page.waitForSelector('.count[data-count="36"]');
  assert.match(await page.locator('.issue-list').innerText(), /broken_eval\.json/);
  assert.match(await page.locator('.error-panel').innerText(), /broken_eval\.json/);
  fs.rmSync(tmp, { recursive: true, force: true });
  await shot(page, 'explorer-disk-issues');

  // Dropping files on the drop zone goes through the same loader.
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['{"not": "a benchmark"}'], 'stray.json', { type: 'application/json' }));
    document.querySelector('.dropzone').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await page.waitForFunction(() => /Loaded 0 suite/.test(document.querySelector('.disk-progress .status')?.textContent || ''));
  await page.waitForSelector('.count[data-count="36"]');
  assert.deepEqual(problems, []);
  await context.close();
});
