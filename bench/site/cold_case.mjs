// Each case page opened directly in a fresh browser context (nothing cached, no app
// loaded before): from the navigation's start to both verdicts on the page (BENCHMARKS.md,
// "Case studies at once"). Not a test: timings on a shared machine are printed only.
//   node bench/site/cold_case.mjs [DIST] [RUNS]
import path from 'node:path';
import { serveDist, launch } from '../../tests/e2e/harness.mjs';

const dist = path.resolve(process.argv[2] ?? 'dist');
const runs = Number(process.argv[3] ?? 3);
const server = await serveDist(dist);
const browser = await launch();
const verdicts = () => ['wrong-verdict', 'right-verdict']
  .every((id) => document.querySelector(`[data-testid=${id}]`)?.getAttribute('data-value'));
for (const id of ['pseudoreplication', 'normalization', 'batch_integration', 'spatial_units', 'niche_discovery']) {
  const ms = [];
  for (let r = 0; r < runs; r++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.origin}/#/case-studies/${id}`);
    await page.waitForFunction(verdicts, null, { timeout: 60000, polling: 10 });
    ms.push(Math.round(await page.evaluate(() => performance.now())));
    await context.close();
  }
  console.log(`${id}: both verdicts ${ms.join(', ')} ms after the navigation started`);
}
await browser.close();
await server.close();
