// The failure finder and the trajectory search in the page, on the built-in
// bundle (which holds the 34 full trajectories of ../shared/bench): a run's
// finding opens its step with the excerpt highlighted; the runs list filters
// by class; the Findings page counts per model and every count opens exactly
// the runs it counts; a case study links to a real run that committed its
// class; a search across trajectories lists steps whose highlight is the
// match, and opens them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serveDist, launch, watchedPage, waitForApp, shot, shotDir, distDir } from './harness.mjs';

/** A screenshot of what is on screen (the search lists are pages long). */
const viewShot = (page, name) => page.screenshot({ path: path.join(shotDir, `${name}.png`) });

const manifest = JSON.parse(fs.readFileSync(path.join(distDir, 'bundle', 'manifest.json'), 'utf8'));
const withTrajectory = manifest.runs.filter((r) => r.trajectory);
const CASES = { pseudoreplication: 'pseudoreplication', panel_normalization: 'normalization',
  unintegrated_clustering: 'batch_integration', spot_as_cell: 'spatial_units', proximity_niche: 'niche_discovery' };

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function open(page, hash) {
  await page.goto(`${server.origin}/${hash}`);
  await waitForApp(page);
}

/** Waits until every trajectory is checked; returns the finder's ms per trajectory. */
async function corpusDone(page) {
  const done = page.locator('[data-testid="corpus-done"]').first();
  await done.waitFor({ timeout: 120000 });
  assert.equal(await done.getAttribute('data-runs'), String(withTrajectory.length));
  return Number(await done.getAttribute('data-detect-ms'));
}

/** The Findings page's counts with intervals (its JSON export), one object per class × model. */
async function findingsRows(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-intervals-json"]')]);
  return JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
}

/** The per-run findings the page computed (its JSON download, in the `sbx findings --json` shape). */
async function runsDocument(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-runs"]')]);
  return JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
}

test("the failure finder and the search index are in the worker's wasm, not the page's", () => {
  // Texts of the finder's rules and of the search's regex engine.
  const page = fs.readFileSync(path.join(distDir, 'spatialbench-explorer_bg.wasm'));
  const worker = fs.readFileSync(path.join(distDir, 'data-worker_bg.wasm'));
  for (const marker of ['rank_genes_groups', 'ebi.ac.uk/arrayexpress', 'regex parse error']) {
    assert.ok(worker.includes(marker), `worker holds ${marker}`);
    assert.ok(!page.includes(marker), `page does not hold ${marker}`);
  }
});

let doc; // filled by the Findings page test, used by the others

test('Findings page: every loaded trajectory checked in the worker, counts per class and model', async () => {
  const { context, page, problems } = await watchedPage(browser, server.origin);
  await open(page, '#/findings');
  const ms = await corpusDone(page);
  assert.ok(ms > 0 && ms < 5000, `finder time per trajectory ${ms} ms`);
  console.log(`failure finder in the worker: ${ms.toFixed(3)} ms per trajectory over ${withTrajectory.length} trajectories`);
  doc = await runsDocument(page);
  assert.equal(doc.runs.length, withTrajectory.length);
  const ids = new Set(withTrajectory.map((r) => `${r.suite}\u0001${r.id}`));
  for (const r of doc.runs) {
    assert.ok(ids.has(`${r.folder}\u0001${r.run}`), r.run);
    for (const f of r.findings) {
      assert.match(f.verdict, /^(committed|avoided|unclear)$/);
      for (const e of f.evidence) assert.ok(e.end >= e.start && [...e.excerpt].length === e.end - e.start, `${r.run}: span length`);
    }
  }
  // The table's counts are the runs document's, recounted here.
  const rows = await findingsRows(page);
  assert.ok(rows.length >= 6);
  for (const row of rows) {
    const runs = doc.runs.filter((r) => row.model === 'all models' || (r.model === row.model && r.harness === row.harness));
    const verdicts = runs.map((r) => r.findings.find((f) => f.class === row.class)?.verdict).filter(Boolean);
    const n = (v) => verdicts.filter((x) => x === v).length;
    const what = `${row.class} ${row.model} ${row.harness}`;
    assert.equal(row.scanned, runs.length, `${what}: scanned`);
    assert.equal(row.checked, verdicts.length, `${what}: checked`);
    assert.deepEqual([row.committed, row.avoided, row.unclear], [n('committed'), n('avoided'), n('unclear')], what);
    if (row.checked > 0) {
      assert.ok(row.committed_lo <= row.committed_rate && row.committed_rate <= row.committed_hi, `${what}: interval`);
    }
  }
  // Every count is a link to the runs it counts: follow each non-zero count of the all-models rows.
  const links = page.locator('[data-table="findings"] tbody td.num a');
  const hrefs = [];
  for (let i = 0; i < await links.count(); i++) {
    const a = links.nth(i);
    hrefs.push([await a.getAttribute('href'), Number(await a.innerText().then((t) => t.split(' ')[0]))]);
  }
  assert.ok(hrefs.length >= 6);
  await shot(page, 'findings-page');
  const counted = hrefs.filter(([h, n]) => !/model=/.test(h) && n > 0 && !/verdict=/.test(h)).slice(0, 6);
  for (const [href, n] of counted) {
    await open(page, href);
    await corpusDone(page);
    await page.waitForSelector(`.count[data-count="${n}"]`, { timeout: 20000 });
  }
  assert.deepEqual(problems, []);
  await context.close();
});

/** A committed finding with evidence, from the page's own runs document: [run, finding]. */
function committedWithEvidence(cls) {
  for (const r of doc?.runs ?? []) {
    const f = r.findings.find((x) => x.verdict === 'committed' && x.evidence.length && (!cls || x.class === cls));
    if (f) return [r, f];
  }
  return [];
}

test("run page: a finding's evidence opens its step, scrolled into view, the excerpt highlighted", async () => {
  const { context, page, problems } = await watchedPage(browser, server.origin);
  const [run, finding] = committedWithEvidence();
  assert.ok(run, 'the finder committed at least one finding with evidence on the shared trajectories');
  await open(page, `#/runs/${encodeURIComponent(run.run)}?suite=${encodeURIComponent(run.folder)}`);
  const item = page.locator(`[data-testid="findings-panel"] .finding[data-class="${finding.class}"]`);
  await item.waitFor({ timeout: 60000 });
  assert.equal(await item.getAttribute('data-verdict'), 'committed');
  const ev = finding.evidence[0];
  // Out of view first: the trajectory is long, the panel is at the top.
  await page.waitForSelector('.step-count', { timeout: 20000 });
  await item.locator('a.evidence').first().click();
  const target = page.locator('[data-testid="target-step"]');
  await target.waitFor();
  assert.equal(await target.getAttribute('id'), `step-${ev.step}`);
  assert.match(page.url(), new RegExp(`step=${ev.step}&hl=${ev.start}-${ev.end}`));
  const mark = target.locator('mark').first();
  assert.equal(await mark.textContent(), ev.excerpt);
  await page.waitForFunction(() => {
    const m = document.querySelector('[data-testid="target-step"] mark');
    const r = m && m.getBoundingClientRect();
    return r && r.top >= 0 && r.bottom <= window.innerHeight + r.height;
  }, null, { timeout: 5000 });
  // The case-study link of the finding, when the class has one.
  if (CASES[finding.class]) {
    assert.equal(await item.locator('a.case-link').getAttribute('href'), `#/case-studies/${CASES[finding.class]}`);
  }
  await viewShot(page, 'findings-run-evidence');
  assert.deepEqual(problems, []);
  await context.close();
});

test('runs list: filter by failure class and verdict', async () => {
  const { context, page, problems } = await watchedPage(browser, server.origin);
  const [, finding] = committedWithEvidence();
  const cls = finding?.class ?? 'pseudoreplication';
  await open(page, '#/runs');
  await page.waitForSelector(`.count[data-count="${manifest.runs.length}"]`);
  await page.selectOption('select[data-filter="class"]', cls);
  await corpusDone(page);
  const applied = doc.runs.filter((r) => r.findings.some((f) => f.class === cls));
  await page.waitForSelector(`.count[data-count="${applied.length}"]`);
  assert.match(page.url(), new RegExp(`class=${cls}`));
  await page.selectOption('select[data-filter="finding"]', 'committed');
  const committed = applied.filter((r) => r.findings.some((f) => f.class === cls && f.verdict === 'committed'));
  await page.waitForSelector(`.count[data-count="${committed.length}"]`);
  const shown = await page.locator('[data-table="runs"] tbody tr').count();
  assert.equal(shown, committed.length);
  for (let i = 0; i < shown; i++) {
    assert.equal(await page.locator('[data-table="runs"] tbody tr').nth(i).locator('td').last().innerText(), 'committed');
  }
  await shot(page, 'findings-runs-filter');
  assert.deepEqual(problems, []);
  await context.close();
});

test("case study: its real runs, and the link to one lands on the run's evidence", async () => {
  const { context, page, problems } = await watchedPage(browser, server.origin);
  const withCase = Object.keys(CASES).find((c) => committedWithEvidence(c).length);
  assert.ok(withCase, 'some case-study class was committed in a shared trajectory');
  const expected = doc.runs.filter((r) => r.findings.some((f) => f.class === withCase && f.verdict === 'committed'));
  await open(page, `#/case-studies/${CASES[withCase]}`);
  const section = page.locator(`[data-testid="real-runs"][data-class="${withCase}"]`);
  await section.waitFor();
  await corpusDone(page);
  await page.waitForFunction((n) => document.querySelectorAll('.real-run').length === n, expected.length);
  await section.scrollIntoViewIfNeeded();
  await shot(page, 'findings-case-study');
  const first = section.locator('.real-run').first();
  const runId = await first.getAttribute('data-run');
  assert.ok(expected.some((r) => r.run === runId));
  await first.locator('a.real-run-link').click();
  await page.waitForSelector(`[data-testid="findings-panel"] .finding[data-class="${withCase}"][data-verdict="committed"]`, { timeout: 60000 });
  await page.locator('[data-testid="target-step"] mark').first().waitFor();
  assert.equal(decodeURIComponent(new URL(page.url()).hash.split('?')[0].slice('#/runs/'.length)), runId);
  await shot(page, 'findings-case-study-run');
  assert.deepEqual(problems, []);
  await context.close();
});

test('search across trajectories: words and a regular expression, filters, hits open their step', async () => {
  const { context, page, problems } = await watchedPage(browser, server.origin);
  await open(page, '#/search');
  await corpusDone(page);
  await page.fill('input[data-filter="q"]', 'normalize_total');
  await page.press('input[data-filter="q"]', 'Enter');
  const count = page.locator('.search-count');
  await count.waitFor();
  const total = Number(await count.getAttribute('data-total'));
  assert.ok(total > 0, 'some trajectory normalises with scanpy');
  assert.match(page.url(), /q=normalize_total/);
  const marks = page.locator('.hit mark');
  for (let i = 0; i < Math.min(await marks.count(), 20); i++) {
    assert.equal((await marks.nth(i).textContent()).toLowerCase(), 'normalize_total');
  }
  // Only tool calls.
  await page.selectOption('select[data-filter="kind"]', 'tool_call');
  await page.waitForFunction((t) => Number(document.querySelector('.search-count')?.dataset.total) <= t
    && [...document.querySelectorAll('.hit a.hit-link')].every((a) => /tool call/.test(a.textContent)), total);
  // A regular expression.
  await page.check('input[data-filter="re"]');
  await page.fill('input[data-filter="q"]', 'sc\\.pp\\.(normalize_total|log1p)');
  await page.press('input[data-filter="q"]', 'Enter');
  await page.waitForFunction(() => [...document.querySelectorAll('.hit mark')].length > 0
    && [...document.querySelectorAll('.hit mark')].every((m) => /^sc\.pp\.(normalize_total|log1p)$/.test(m.textContent)));
  assert.match(page.url(), /re=1/);
  await viewShot(page, 'findings-search');
  // A hit opens its step with the match highlighted.
  const hit = page.locator('.hit').first();
  const step = await hit.getAttribute('data-step');
  await hit.locator('a.hit-link').click();
  const target = page.locator('[data-testid="target-step"]');
  await target.waitFor({ timeout: 20000 });
  assert.equal(await target.getAttribute('id'), `step-${step}`);
  assert.match(await target.locator('mark').first().textContent(), /^sc\.pp\.(normalize_total|log1p)$/);
  await viewShot(page, 'findings-search-step');
  // A malformed expression is an error message, not a failure.
  await open(page, '#/search?q=%28unclosed&re=1');
  await corpusDone(page);
  await page.waitForSelector('[data-testid="search-error"]');
  assert.deepEqual(problems, []);
  await context.close();
});
