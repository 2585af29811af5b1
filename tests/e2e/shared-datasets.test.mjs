// Every real dataset in ../shared/spatial-data, prepared with `sbx prepare` and opened
// in the page: it loads with all its rows and draws, coloured by its main category;
// the ones with genes are also drawn by a gene, and the ones with several samples in
// small multiples. Screenshots: target/e2e/shared-<name>-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { serveDist, launch, watchedPage, waitForApp, shot, repoRoot } from './harness.mjs';

const shared = process.env.SBX_SHARED || path.join(repoRoot, '..', 'shared');
const sbx = path.join(process.env.CARGO_TARGET_DIR || path.join(repoRoot, 'target'), 'debug', 'sbx');
const DATASETS = [
  'visium/giottodata_prostate_ffpe_NP_CP',
  'visium/giottodata_mouse_brain_mini',
  'merfish/giottodata_vizgen_mouse_brain_mini',
  'merfish/spacexr_moffitt_hypothalamus_vignette',
  'xenium/jazzPanda_breast_rep1_rep2',
  'slideseq/crawdad_cerebellum_puck190926_08',
  'slideseq/meringue_purkinje_slideseq',
  'slideseq/spacexr_vignette_cerebellum',
  'dbit/atlasxomics_barcodeqc_example',
];
// Bead and tixel tables without a feature matrix (cell-type labels or read counts only).
const NO_COUNTS = ['slideseq/crawdad_cerebellum_puck190926_08', 'dbit/atlasxomics_barcodeqc_example'];
let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const draws = async (page) => Number(await page.locator('[data-testid=dataset-view] [data-testid=viewer]').getAttribute('data-draws'));
const waitDrawsAbove = (page, n) => page.waitForFunction((n) =>
  Number(document.querySelector('[data-testid=dataset-view] [data-testid=viewer]')?.getAttribute('data-draws')) > n, n, { timeout: 60000 });
async function ink(page) {
  return page.evaluate(() => {
    const c = document.querySelector('[data-testid=dataset-view] [data-testid=viewer-canvas]');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] !== 255 || d[i + 1] !== 255 || d[i + 2] !== 255) n++;
    return n;
  });
}

test('every shared dataset is prepared, loads in the page and draws', { timeout: 600000 }, async () => {
  assert.ok(fs.existsSync(path.join(shared, 'spatial-data')), `${shared}/spatial-data is required`);
  assert.ok(fs.existsSync(sbx), `${sbx} is built by .ci/build-site`);
  const out = path.join(repoRoot, 'target', 'e2e-shared');
  fs.mkdirSync(out, { recursive: true });
  const { context, page, problems } = await watchedPage(browser, server.origin);
  await page.goto(`${server.origin}/#/datasets`);
  await waitForApp(page);
  let withGene = 0, withMultiples = 0;
  for (const rel of DATASETS) {
    const name = rel.split('/')[1];
    const file = path.join(out, `${name}.arrow`);
    const noCounts = NO_COUNTS.includes(rel);
    const run = spawnSync(sbx, ['prepare', path.join(shared, 'spatial-data', rel), ...(noCounts ? [] : ['--top-genes', '3']), '-o', file], { encoding: 'utf8' });
    assert.equal(run.status, 0, `${name}: sbx prepare failed: ${run.stderr}`);
    const log = /wrote .*/.exec(run.stderr)?.[0] || run.stderr; // the summary line (stderr, after the progress bar)
    const rows = Number(/(\d+) rows/.exec(log)?.[1]);
    assert.ok(rows > 0, `${name}: sbx prepare reports its rows (${log.trim()})`);
    await page.setInputFiles('[data-testid=file-input]', file);
    await page.waitForSelector(`[data-testid=dataset-view][data-dataset="${name}.arrow"] [data-testid=viewer]`, { timeout: 60000 });
    await page.waitForFunction((sel) => Number(document.querySelector(sel)?.getAttribute('data-draws')) > 0,
      `[data-testid=dataset-view][data-dataset="${name}.arrow"] [data-testid=viewer]`, { timeout: 60000 });
    const viewer = page.locator('[data-testid=dataset-view] [data-testid=viewer]');
    assert.equal(Number(await viewer.getAttribute('data-rows')), rows, `${name}: every prepared row loaded`);
    const cat = await viewer.getAttribute('data-color');
    assert.ok(cat, `${name}: coloured by a main category`);
    const inked = await ink(page);
    assert.ok(inked >= Math.min(200, rows), `${name}: units drawn (${inked} pixels)`);
    await shot(page, `shared-${name}-category`);

    const gene = await page.locator('[data-testid=dataset-view] [data-testid=color-by] option', { hasText: '(gene)' }).first().getAttribute('value').catch(() => null);
    assert.ok(noCounts || gene, `${name}: its top genes are offered for colouring`);
    if (gene) {
      let n = await draws(page);
      await page.selectOption('[data-testid=dataset-view] [data-testid=color-by]', gene);
      await waitDrawsAbove(page, n);
      await shot(page, `shared-${name}-gene`);
      withGene++;
      n = await draws(page);
      await page.selectOption('[data-testid=dataset-view] [data-testid=color-by]', cat);
      await waitDrawsAbove(page, n);
    }
    const facets = await page.locator('[data-testid=dataset-view] [data-testid=facet-by] option').evaluateAll((o) => o.map((x) => x.value).filter(Boolean));
    const facet = ['sample', 'replicate', 'timepoint', 'donor'].find((f) => facets.includes(f));
    if (facet) {
      const n = await draws(page);
      await page.selectOption('[data-testid=dataset-view] [data-testid=facet-by]', facet);
      await waitDrawsAbove(page, n);
      assert.ok(await page.locator('[data-testid=dataset-view] .panel-label').count() >= 2, `${name}: one panel per ${facet}`);
      await shot(page, `shared-${name}-multiples-${facet}`);
      withMultiples++;
    }
    console.log(`${name}: ${rows} rows, coloured by ${cat}${gene ? `, gene ${gene}` : ''}${facet ? `, multiples by ${facet}` : ''}`);
  }
  assert.ok(withGene >= 5, `datasets drawn by a gene: ${withGene}`);
  assert.ok(withMultiples >= 1, `datasets in small multiples: ${withMultiples}`);
  assert.deepEqual(problems, []);
  await context.close();
});
