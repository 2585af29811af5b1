// Broken and hostile files dropped on the page: each gives its specific error (the
// loader's own message, the same words the native corpus test checks), and what was
// loaded before stays on screen and usable. The files and expected words are in
// tests/corpus/page/ (written and checked by tests/hostile_inputs.rs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serveDist, launch, watchedPage, waitForApp, shot, distDir, repoRoot } from './harness.mjs';

const corpusDir = path.join(repoRoot, 'tests', 'corpus', 'page');
const expect = JSON.parse(fs.readFileSync(path.join(corpusDir, 'expect.json'), 'utf8'));
const index = JSON.parse(fs.readFileSync(path.join(distDir, 'bundle/datasets/index.json'), 'utf8'));
let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('every broken dataset file gives its own error and the shown dataset stays', async () => {
  assert.ok(Object.keys(expect).length >= 10, 'the page corpus lists its files');
  const { context, page, problems } = await watchedPage(browser, server.origin);
  await page.goto(`${server.origin}/#/datasets`);
  await waitForApp(page);
  const d = index.datasets[1];
  const scope = `[data-testid=dataset-view][data-dataset="${d.id}"]`;
  await page.click(`[data-testid="open-${d.id}"]`);
  await page.waitForFunction((sel) => Number(document.querySelector(sel)?.getAttribute('data-draws')) > 0,
    `${scope} [data-testid=viewer]`, { timeout: 60000 });
  for (const [name, words] of Object.entries(expect)) {
    await page.setInputFiles('[data-testid=file-input]', path.join(corpusDir, name));
    const err = page.locator('[data-testid=local-error]');
    await page.waitForFunction((n) => document.querySelector('[data-testid=local-error]')?.textContent.includes(n),
      name, { timeout: 60000 });
    const text = await err.innerText();
    for (const w of words) assert.ok(text.includes(w), `${name}: "${text}" should mention ${w}`);
    assert.ok((await page.locator('.error-panel').innerText()).includes(name), `${name}: named in the error panel`);
    assert.equal(Number(await page.locator(`${scope} [data-testid=viewer]`).getAttribute('data-rows')), d.rows,
      `${name}: the dataset loaded before is still shown`);
  }
  await shot(page, 'hostile-datasets');
  // still usable: the legend still hides a category
  const before = await page.locator(`${scope} [data-testid=viewer]`).getAttribute('data-draws');
  await page.locator(`${scope} [data-testid=viewer-legend] li`).first().click();
  await page.waitForFunction(([sel, n]) => Number(document.querySelector(sel)?.getAttribute('data-draws')) > n,
    [`${scope} [data-testid=viewer]`, Number(before)]);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a benchmark folder of hostile eval files: each bad file is named with its problem, the good eval loads', async () => {
  const corpus = (f) => fs.readFileSync(path.join(repoRoot, 'tests', 'corpus', f));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sbx-hostile-'));
  const evals = path.join(tmp, 'hostilebench', 'evals');
  fs.mkdirSync(evals, { recursive: true });
  fs.writeFileSync(path.join(evals, 'good.json'), JSON.stringify({
    id: 'good', task: 'Pick one.', grader: { type: 'multiple_choice', config: { correct_answer: 'A' } },
  }));
  fs.writeFileSync(path.join(evals, 'string_grader.json'), corpus('eval_grader_is_string.json'));
  fs.writeFileSync(path.join(evals, 'id_number.json'), corpus('eval_id_number.json'));
  fs.writeFileSync(path.join(evals, 'latin1.json'), corpus('non_utf8.json'));
  fs.writeFileSync(path.join(evals, 'truncated.json'), '{"id":"t","task":');
  const { context, page, problems } = await watchedPage(browser, server.origin);
  await page.goto(`${server.origin}/#/tasks`);
  await waitForApp(page);
  await page.waitForSelector('.count[data-count]');
  const n0 = Number(await page.locator('.count').first().getAttribute('data-count'));
  await page.setInputFiles('input.folder-input', path.join(tmp, 'hostilebench'));
  await page.waitForFunction(() => /hostilebench/.test(document.querySelector('.disk-progress .status')?.textContent || ''), null, { timeout: 60000 });
  await page.waitForSelector(`.count[data-count="${n0 + 1}"]`);
  const issues = await page.locator('.issue-list').innerText();
  for (const f of ['string_grader.json', 'id_number.json', 'latin1.json', 'truncated.json']) {
    assert.ok(issues.includes(f), `${f} is named: ${issues}`);
  }
  assert.match(issues, /latin1\.json[^\n]*not UTF-8[^\n]*0xe9[^\n]*offset 11/);
  await shot(page, 'hostile-evals');
  fs.rmSync(tmp, { recursive: true, force: true });
  assert.deepEqual(problems, []);
  await context.close();
});
