// Niche regions: a categorical column drawn as translucent regions with a
// solid border in the niche colour, over the points, in one panel and in
// small multiples, with a niche legend, and exported as SVG paths.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serveDist, launch, watchedPage, waitForApp, shot, shotDir } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const scope = '[data-testid=dataset-view][data-dataset="niche_discovery"]';

/** A checksum of the canvas, and how many pixels have exactly one of `colors` ([r, g, b]). */
async function canvasStats(page, sel, colors = []) {
  return page.evaluate(([sel, colors]) => {
    const c = document.querySelector(sel);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let sum = 0, hits = 0;
    const keys = new Set(colors.map(([r, g, b]) => (r << 16) | (g << 8) | b));
    for (let i = 0; i < d.length; i += 4) {
      sum = (sum + d[i] * 7 + d[i + 1] * 13 + d[i + 2] * 17 + i) % 1000000007;
      if (keys.has((d[i] << 16) | (d[i + 1] << 8) | d[i + 2])) hits++;
    }
    return { sum, hits };
  }, [sel, colors]);
}

const attr = async (page, sel, name) => page.locator(sel).first().getAttribute(name);

async function waitAttrAbove(page, sel, name, n) {
  await page.waitForFunction(([sel, name, n]) => Number(document.querySelector(sel)?.getAttribute(name)) > n,
    [sel, name, n], { timeout: 60000 });
}

/** The niche legend's colours as [r, g, b]. */
async function nicheColors(page, sel) {
  return page.locator(`${sel} [data-testid=niche-legend] .swatch`).evaluateAll((els) =>
    els.map((e) => getComputedStyle(e).backgroundColor.match(/\d+/g).slice(0, 3).map(Number)));
}

test('niche regions on the niche_discovery dataset: canvas, legend, small multiples, SVG', { timeout: 300000 }, async () => {
  const { context, page, problems } = await watchedPage(browser, server.origin);
  await page.goto(`${server.origin}/#/datasets`);
  await waitForApp(page);
  await page.click('[data-testid="open-niche_discovery"]');
  const viewer = `${scope} [data-testid=viewer]`;
  const canvas = `${scope} [data-testid=viewer-canvas]`;
  await page.waitForSelector(viewer, { timeout: 60000 });
  await waitAttrAbove(page, viewer, 'data-draws', 0);
  assert.equal(await attr(page, viewer, 'data-regions'), '0', 'no regions before niches are on');
  // plain points, so that any pixel in a niche colour comes from a region
  let n = Number(await attr(page, viewer, 'data-draws'));
  await page.selectOption(`${scope} [data-testid=color-by]`, '');
  await waitAttrAbove(page, viewer, 'data-draws', n);
  const before = await canvasStats(page, canvas);

  // The bundled file has no computed niche column (the case study page computes
  // one); its tissue compartments are the cell types, so those are the niches here.
  const cols = await page.locator(`${scope} [data-testid=outline-by] option`).evaluateAll((o) => o.map((x) => x.value));
  const col = cols.includes('niche') ? 'niche' : 'cell_type';
  assert.ok(cols.includes(col), `a niche column (${cols})`);
  n = Number(await attr(page, viewer, 'data-draws'));
  await page.selectOption(`${scope} [data-testid=outline-by]`, col);
  await waitAttrAbove(page, viewer, 'data-draws', n);
  assert.equal(await page.locator(`${scope} [data-testid=niche-mode]`).inputValue(), 'outline', 'picking a column shows it as the outline');
  const outlined = await canvasStats(page, canvas);
  assert.notEqual(outlined.sum, before.sum, 'the outline changes the picture');

  n = Number(await attr(page, viewer, 'data-draws'));
  await page.selectOption(`${scope} [data-testid=niche-mode]`, 'regions');
  await waitAttrAbove(page, viewer, 'data-regions', 1);
  await waitAttrAbove(page, viewer, 'data-draws', n);
  const regions = Number(await attr(page, viewer, 'data-regions'));
  assert.ok(regions >= 2, `regions drawn (${regions})`);
  const items = await page.locator(`${scope} [data-testid=niche-legend] li`).count();
  assert.ok(items >= 2, `the niche legend lists the niches with regions (${items})`);
  const colors = await nicheColors(page, scope);
  assert.equal(colors.length, items);
  const drawn = await canvasStats(page, canvas, colors);
  // the same view with niches off has no pixel in a niche colour
  n = Number(await attr(page, viewer, 'data-draws'));
  await page.selectOption(`${scope} [data-testid=niche-mode]`, 'none');
  await waitAttrAbove(page, viewer, 'data-draws', n);
  assert.equal((await canvasStats(page, canvas, colors)).hits, 0, 'no niche colours without niches');
  assert.equal(await attr(page, viewer, 'data-regions'), '0');
  n = Number(await attr(page, viewer, 'data-draws'));
  await page.selectOption(`${scope} [data-testid=niche-mode]`, 'regions');
  await waitAttrAbove(page, viewer, 'data-draws', n);
  assert.equal(Number(await attr(page, viewer, 'data-regions')), regions, 'the same regions again');
  assert.notEqual(drawn.sum, outlined.sum, 'regions change the picture');
  // borders are solid niche colours: thousands of pixels, not a stray few
  assert.ok(drawn.hits > 2000, `region borders drawn in the niche colours (${drawn.hits} pixels)`);
  // zoomed in on the middle section, where the regions can be read
  for (let i = 0; i < 3; i++) {
    n = Number(await attr(page, viewer, 'data-draws'));
    await page.click(`${scope} button[title="Zoom in"]`);
    await waitAttrAbove(page, viewer, 'data-draws', n);
  }
  await page.locator(canvas).scrollIntoViewIfNeeded();
  await shot(page, 'niche-regions');
  await page.locator(`${scope} .viewer-main`).screenshot({ path: path.join(shotDir, 'niche-regions-viewer.png') });
  n = Number(await attr(page, viewer, 'data-draws'));
  await page.click(`${scope} [data-testid=fit]`);
  await waitAttrAbove(page, viewer, 'data-draws', n);

  // hiding a niche in its legend removes its regions from the canvas
  n = Number(await attr(page, viewer, 'data-draws'));
  await page.locator(`${scope} [data-testid=niche-legend] li`).first().click();
  await waitAttrAbove(page, viewer, 'data-draws', n);
  const fewer = Number(await attr(page, viewer, 'data-regions'));
  assert.ok(fewer < regions, `hiding a niche hides its regions (${fewer} < ${regions})`);
  assert.equal((await canvasStats(page, canvas, [colors[0]])).hits, 0, 'no pixel left in the hidden niche colour');
  n = Number(await attr(page, viewer, 'data-draws'));
  await page.locator(`${scope} [data-testid=niche-legend] li`).first().click();
  await waitAttrAbove(page, viewer, 'data-draws', n);
  assert.equal(Number(await attr(page, viewer, 'data-regions')), regions);

  // pan keeps the regions (they are cached, not recomputed) and redraws
  const computed = await attr(page, `${scope} [data-testid=regions-ms]`, 'data-computed');
  const box = await page.locator(canvas).boundingBox();
  n = Number(await attr(page, viewer, 'data-draws'));
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 + 20, { steps: 4 });
  await page.mouse.up();
  await waitAttrAbove(page, viewer, 'data-draws', n);
  assert.equal(Number(await attr(page, viewer, 'data-regions')), regions);
  // zoom too: still the same computation
  n = Number(await attr(page, viewer, 'data-draws'));
  await page.click(`${scope} button[title="Zoom in"]`);
  await waitAttrAbove(page, viewer, 'data-draws', n);
  assert.equal(await attr(page, `${scope} [data-testid=regions-ms]`, 'data-computed'), computed, 'pan and zoom do not recompute regions');
  const ms = Number(await attr(page, `${scope} [data-testid=regions-ms]`, 'data-value'));
  console.log(`niche regions: ${regions} from 100820 cells in ${ms.toFixed(1)} ms (debug build)`);
  await page.click(`${scope} [data-testid=fit]`);

  // SVG export: regions as paths, the niche legend, the scale bar
  const [svg] = await Promise.all([page.waitForEvent('download'), page.click(`${scope} [data-testid=export-svg]`)]);
  await svg.saveAs(path.join(shotDir, 'niche-regions.svg'));
  const svgText = fs.readFileSync(await svg.path(), 'utf8');
  const paths = (svgText.match(/<path class="niche-region"/g) || []).length;
  assert.equal(paths, regions, 'one SVG path per drawn region');
  assert.match(svgText, new RegExp(`>Niches: ${col}</text>`), 'SVG has the niche legend');
  assert.match(svgText, /fill-rule="evenodd"/);
  assert.match(svgText, /(µm|mm)<\/text>/, 'SVG has the scale bar');

  // PNG export at 2x with regions
  const [png] = await Promise.all([page.waitForEvent('download'), page.click(`${scope} [data-testid=export-png]`)]);
  await png.saveAs(path.join(shotDir, 'niche-regions@2x.png'));
  const pngBytes = fs.readFileSync(await png.path());
  assert.equal(pngBytes.readUInt32BE(16), 1760, 'PNG is 2x wide');

  // small multiples: regions per panel, from that panel's rows only
  n = Number(await attr(page, viewer, 'data-draws'));
  await page.selectOption(`${scope} [data-testid=facet-by]`, 'timepoint');
  await waitAttrAbove(page, viewer, 'data-draws', n);
  await page.waitForFunction((sel) => Number(document.querySelector(sel)?.getAttribute('data-regions')) >= 5, viewer, { timeout: 60000 });
  const panels = await page.locator(`${scope} .panel-label`).count();
  assert.ok(panels >= 2, `one panel per timepoint (${panels})`);
  const multi = await canvasStats(page, canvas, colors);
  assert.ok(multi.hits > 1000, `regions drawn in the panels (${multi.hits} pixels)`);
  await page.locator(canvas).scrollIntoViewIfNeeded();
  await shot(page, 'niche-regions-multiples');
  await page.locator(`${scope} .viewer-main`).screenshot({ path: path.join(shotDir, 'niche-regions-multiples-viewer.png') });
  // the SVG of the panels: one clipped <svg> per panel holding its regions
  const [svg2] = await Promise.all([page.waitForEvent('download'), page.click(`${scope} [data-testid=export-svg]`)]);
  const svg2Text = fs.readFileSync(await svg2.path(), 'utf8');
  const perPanel = Number(await attr(page, viewer, 'data-regions'));
  assert.equal((svg2Text.match(/<path class="niche-region"/g) || []).length, perPanel, 'one SVG path per region of every panel');
  assert.equal((svg2Text.match(/<svg x="/g) || []).length, panels, 'one clip per panel');

  assert.deepEqual(problems, []);
  await context.close();
});

test('niche regions of the computed niches on the niche discovery case study', { timeout: 600000 }, async () => {
  const { context, page, problems } = await watchedPage(browser, server.origin);
  // the index first: once the case page computes, the main thread is busy
  await page.goto(`${server.origin}/#/case-studies`);
  await waitForApp(page);
  await page.click('[data-testid="case-niche_discovery"]');
  // the viewer gets the computed "niche" column once the niches are found
  await page.waitForSelector('[data-testid=outline-by] option[value="niche"]', { state: 'attached', timeout: 480000 });
  const viewer = '[data-testid=viewer]';
  await waitAttrAbove(page, viewer, 'data-draws', 0);
  let n = Number(await attr(page, viewer, 'data-draws'));
  await page.selectOption('[data-testid=outline-by]', 'niche');
  await page.selectOption('[data-testid=niche-mode]', 'regions');
  await waitAttrAbove(page, viewer, 'data-regions', 4);
  await waitAttrAbove(page, viewer, 'data-draws', n);
  const items = await page.locator('[data-testid=niche-legend] li').count();
  assert.ok(items >= 2, `niche legend (${items})`);
  await page.locator('[data-testid=viewer-canvas]').scrollIntoViewIfNeeded();
  await shot(page, 'niche-regions-case');
  await page.locator('.viewer-main').first().screenshot({ path: path.join(shotDir, 'niche-regions-case-viewer.png') });
  assert.deepEqual(problems, []);
  await context.close();
});
