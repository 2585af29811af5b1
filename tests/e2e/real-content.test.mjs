// The real content of a site built with ../shared beside the checkout: every real
// dataset of the list opens in the viewer with all its rows drawn and its source,
// licence and unit shown; the true-scale panel is on the Datasets page and on the
// spatial-units case; the normalisation case shows the real panels' composition.
// Screenshots: target/e2e/real-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serveDist, launch, watchedPage, waitForApp, distDir, shotDir } from './harness.mjs';

const index = JSON.parse(fs.readFileSync(path.join(distDir, 'bundle/datasets/index.json'), 'utf8'));
const real = index.datasets.filter((d) => !d.simulated);
let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function ink(page, scope) {
  return page.evaluate((sel) => {
    const c = document.querySelector(sel);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] !== 255 || d[i + 1] !== 255 || d[i + 2] !== 255) n++;
    return n;
  }, `${scope} [data-testid=viewer-canvas]`);
}

test('every real dataset opens, draws all its rows and shows where it came from', { timeout: 300000 }, async () => {
  assert.equal(real.length, 9, 'the nine datasets of ../shared/spatial-data are bundled');
  assert.deepEqual(index.not_prepared, [], 'every dataset folder was prepared');
  const { context, page, problems } = await watchedPage(browser, server.origin);
  await page.goto(`${server.origin}/#/datasets`);
  await waitForApp(page);
  await page.waitForSelector('[data-testid=datasets-real]');
  assert.equal(await page.locator('[data-testid=datasets-real] tbody tr').count(), 9, 'real datasets in their own table');
  assert.equal(await page.locator('[data-testid=datasets-table] tbody tr').count(), index.datasets.length - 9, 'simulated ones apart');
  for (const d of real) {
    assert.ok(d.licence && d.origin, `${d.id}: licence and origin from SOURCE.txt`);
    const row = page.locator(`[data-testid=datasets-real] tr[data-dataset="${d.id}"]`);
    assert.match(await row.locator('[data-testid=dataset-source]').innerText(), new RegExp(`Licence: ${d.licence.slice(0, 6).replace(/[()+.]/g, '.')}`));
    const unit = await row.locator('[data-testid=dataset-unit]').innerText();
    assert.ok(unit.startsWith(d.unit_kind), `${d.id}: unit ${unit}`);
    if (['spot', 'bead'].includes(d.unit_kind)) assert.match(unit, /µm/, `${d.id}: the unit's physical size`);

    const scope = `[data-testid=dataset-view][data-dataset="${d.id}"]`;
    await page.click(`[data-testid="open-${d.id}"]`);
    await page.waitForFunction((sel) => Number(document.querySelector(sel)?.getAttribute('data-draws')) > 0,
      `${scope} [data-testid=viewer]`, { timeout: 60000 });
    const viewer = page.locator(`${scope} [data-testid=viewer]`);
    assert.equal(Number(await viewer.getAttribute('data-rows')), d.rows, `${d.id}: every row loaded`);
    assert.equal(await viewer.getAttribute('data-color'), d.color, `${d.id}: opened on ${d.color}`);
    const meta = await page.locator(`${scope} [data-testid=dataset-meta]`).innerText();
    assert.ok(meta.includes(d.platform) && meta.includes(d.licence), `${d.id}: platform and licence shown (${meta})`);
    if (d.citation) assert.ok(meta.includes(d.citation.slice(0, 20)), `${d.id}: citation shown`);
    const n = await ink(page, scope);
    assert.ok(n >= Math.min(300, d.rows), `${d.id}: units drawn (${n} pixels)`);
    await page.locator(scope).scrollIntoViewIfNeeded();
    await page.locator(scope).screenshot({ path: path.join(shotDir, `real-${d.id}.png`) });
  }
  const cellType = real.filter((d) => d.color === 'cell_type').map((d) => d.id);
  assert.ok(cellType.includes('jazzPanda_breast_rep1_rep2') && cellType.includes('crawdad_cerebellum_puck190926_08'),
    `datasets with cell types open on them (${cellType})`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the true-scale panel draws real spots, beads and cells at one scale', async () => {
  const { context, page, problems } = await watchedPage(browser, server.origin);
  for (const [name, url] of [['datasets', '#/datasets'], ['spatial-units', '#/case-studies/spatial_units']]) {
    await page.goto(`${server.origin}/${url}`);
    await waitForApp(page);
    const fig = page.locator('[data-testid=true-scale]');
    await fig.waitFor({ timeout: 60000 });
    assert.equal(await fig.getAttribute('data-simulated'), 'false', `${name}: real datasets`);
    assert.equal(await fig.getAttribute('data-panels'), '3');
    await page.waitForFunction(() => document.querySelector('[data-testid=true-scale] img')?.naturalWidth > 0, null, { timeout: 30000 });
    const caption = await fig.locator('figcaption').innerText();
    for (const w of ['spot', 'bead', 'cell', '55 µm', '10 µm']) assert.ok(caption.includes(w), `${name}: caption mentions ${w}: ${caption}`);
    await fig.scrollIntoViewIfNeeded();
    await fig.screenshot({ path: path.join(shotDir, `real-true-scale-${name}.png`) });
  }
  const svg = fs.readFileSync(path.join(distDir, 'bundle', index.true_scale.svg), 'utf8');
  const radii = [...svg.matchAll(/ r="([\d.]+)"/g)].map((m) => Number(m[1]));
  // 0.7 px per µm: a 55 µm spot has radius 19.25 px, a 10 µm bead 3.5 px.
  assert.ok(radii.includes(19.25) && radii.includes(3.5), 'spots and beads at their physical size');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the normalisation case shows the real panels beside the simulation', async () => {
  const { context, page, problems } = await watchedPage(browser, server.origin);
  await page.goto(`${server.origin}/#/case-studies/normalization`);
  await waitForApp(page);
  await page.waitForSelector('[data-testid=real-panels]', { timeout: 60000 });
  const ids = await page.locator('[data-testid=real-panel]').evaluateAll((els) => els.map((e) => e.dataset.dataset));
  assert.deepEqual(ids.sort(), ['giottodata_vizgen_mouse_brain_mini', 'jazzPanda_breast_rep1_rep2', 'spacexr_moffitt_hypothalamus_vignette']);
  const comp = JSON.parse(fs.readFileSync(path.join(distDir, 'bundle/datasets/panel-composition.json'), 'utf8'));
  const x = comp.datasets.find((d) => d.id === 'jazzPanda_breast_rep1_rep2').composition.coexpression;
  const text = await page.locator('[data-testid=real-panel][data-dataset=jazzPanda_breast_rep1_rep2] [data-testid=real-coexpression]').innerText();
  assert.ok(text.includes(x.spearman_raw.toFixed(3)) && text.includes(x.spearman_libsize.toFixed(3)), text);
  await page.locator('[data-testid=real-panels]').screenshot({ path: path.join(shotDir, 'real-panels.png') });
  assert.deepEqual(problems, []);
  await context.close();
});
