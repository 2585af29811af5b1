// Everything that comes from files is shown as text: a suite whose prompt,
// notes, answer, grader reasoning and trajectory carry <script>, <img onerror>
// and javascript: links is loaded from disk and every page showing it stays
// inert. No request leaves the serving host.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serveDist, launch, watchedPage, waitForApp, shot, repoRoot } from './harness.mjs';

const PAYLOAD = '<script>window.__xss = "script"</script><img src="x" onerror="window.__xss = \'img\'">'
  + '<a href="javascript:window.__xss = \'link\'">click me</a><iframe src="https://example.com"></iframe>';

function hostileSuite() {
  const root = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sbx-hostile-')), 'hostilebench');
  const evalDir = path.join(root, 'evals');
  fs.mkdirSync(evalDir, { recursive: true });
  fs.writeFileSync(path.join(evalDir, 'xss_eval.json'), JSON.stringify({
    id: 'xss_eval', task: `Count cells. ${PAYLOAD}`, notes: `Notes ${PAYLOAD}`,
    grader: { type: 'numeric_tolerance', config: { ground_truth: { n: 1 }, tolerances: { n: { type: 'absolute', value: 0 } } } },
    metadata: { task: `qc${PAYLOAD}`, kit: 'xenium', time_horizon: 'small' },
  }));
  // A real mini-swe-agent trajectory with the payload put into every message.
  const src = path.join(repoRoot, '..', 'shared', 'bench', 'scbench', 'trajectories',
    'dr_05_pca_preprocessing_sentinels', 'openai', 'gpt-5.1', 'mini-swe-agent', 'r3', 'trajectory.json');
  const traj = JSON.parse(fs.readFileSync(src, 'utf8'));
  const poison = (v) => (typeof v === 'string' ? v + PAYLOAD
    : Array.isArray(v) ? v.map(poison)
      : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, ['content', 'text', 'output', 'arguments'].includes(k) ? poison(x) : (typeof x === 'object' ? poison(x) : x)])) : v);
  traj.messages = poison(traj.messages);
  const run = path.join(root, 'trajectories', 'xss_eval', 'evil', 'model', 'mini-swe-agent', 'r1');
  fs.mkdirSync(run, { recursive: true });
  fs.writeFileSync(path.join(run, 'trajectory.json'), JSON.stringify(traj));
  fs.writeFileSync(path.join(run, 'eval_answer.json'), JSON.stringify({ n: 2, note: PAYLOAD }));
  fs.writeFileSync(path.join(run, 'result.json'), JSON.stringify({
    harness: 'mini-swe-agent', model_name: `evil/model${PAYLOAD}`, task: 'xss_eval', trial_index: 1,
    result: { agent_answer: { n: 2 }, passed: false, grader_result: { passed: false, score: 0, reasoning: `Reasoning ${PAYLOAD}`, metrics: {} } },
  }));
  return root;
}

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function assertInert(page, where) {
  assert.equal(await page.evaluate(() => window.__xss), undefined, `${where}: no injected script ran`);
  const injected = await page.evaluate(() => document.querySelectorAll('main script, main img[onerror], main iframe, main a[href^="javascript:"]').length);
  assert.equal(injected, 0, `${where}: no element was injected`);
  assert.ok((await page.locator('main').innerText()).includes('<script>'), `${where}: the payload is shown as text`);
}

test('hostile suite content is shown as inert text on every page', async () => {
  const root = hostileSuite();
  const { context, page, problems } = await watchedPage(browser, server.origin);
  await page.goto(`${server.origin}/#/tasks`);
  await waitForApp(page);
  await page.waitForSelector('input.folder-input', { state: 'attached' });
  await page.setInputFiles('input.folder-input', root);
  await page.waitForSelector('.disk-progress.finished', { timeout: 60000 });
  await page.fill('input[data-filter="q"]', 'xss_eval');
  await page.press('input[data-filter="q"]', 'Enter');
  await page.click('a:text-is("xss_eval")');
  await page.waitForSelector('.page-heading h1:text-is("Task")');
  await page.waitForFunction(() => document.querySelector('main').innerText.includes('Count cells.'));
  await assertInert(page, 'task page');
  await shot(page, 'security-task');
  await page.click('main a[href*="#/runs/"]');
  await page.waitForSelector('.page-heading h1:text-is("Run")');
  await page.waitForSelector('.step', { timeout: 30000 });
  for (const d of await page.locator('details').all()) await d.evaluate((el) => { el.open = true; });
  await assertInert(page, 'run page');
  await shot(page, 'security-run');
  assert.deepEqual(problems, []);
  await context.close();
  fs.rmSync(path.dirname(root), { recursive: true, force: true });
});

test('the page sets a strict Content-Security-Policy', async () => {
  const { context, page, problems } = await watchedPage(browser, server.origin);
  await page.goto(`${server.origin}/`);
  await waitForApp(page);
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|https?:/);
  // An inline script added at run time is refused by the policy.
  const ran = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inline = 1';
    document.body.appendChild(s);
    return window.__inline === 1;
  });
  assert.equal(ran, false, 'inline scripts are blocked');
  assert.deepEqual(problems.filter((p) => !p.includes('Content Security Policy')), []);
  await context.close();
});
