// Times every analysis a case page runs live (wrong, right and each "your choice"
// option) in the site's own data worker (the wasm module the page starts), run in
// Node (V8, Chromium's engine), on the default seed. Each analysis runs on a fresh
// worker state after the scenario is built, so nothing is reused between them.
//   node bench/kernels/case_times_wasm.mjs DIST_DIR [SEED] > times.json
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

const dist = process.argv[2] ?? 'dist';
const seed = Number(process.argv[3] ?? 20251);
const glue = fs.readdirSync(dist).find((f) => /^data-worker(-[0-9a-f]+)?\.js$/.test(f));
const wasm = fs.readdirSync(dist).find((f) => /^data-worker(-[0-9a-f]+)?_bg\.wasm$/.test(f));

let answer = null;
globalThis.self = globalThis;
globalThis.postMessage = (msg) => { answer = msg; };
vm.runInThisContext(fs.readFileSync(path.join(dist, glue), 'utf8') + '\n;globalThis.__sbxWorker = wasm_bindgen;');
globalThis.__sbxWorker.initSync({ module: fs.readFileSync(path.join(dist, wasm)) });

function ask(request) {
  answer = null;
  globalThis.onmessage({ data: { request: JSON.stringify(request) } });
  const r = JSON.parse(answer.response);
  if (r.kind !== 'case') throw new Error(`${JSON.stringify(request)}: ${answer.response.slice(0, 300)}`);
  return r;
}

const ANALYSES = {
  pseudoreplication: [
    ...['unit', 'donor'].flatMap((level) => ['wilcoxon', 'welch', 'student'].map((test) => ({ name: 'de', level, test }))),
  ],
  normalization: ['raw', 'libsize', 'panel', 'scale'].map((norm) => ({ name: 'corr', norm })),
  batch_integration: ['none', 'scaling', 'harmony', 'harmony_defaults'].map((integration) => ({ name: 'batch', integration })),
  spatial_units: [
    ...['components', 'dbscan'].flatMap((method) => [10, 40].map((radius) => ({ name: 'oocytes', method, radius }))),
    { name: 'sweep' },
  ],
  niche_discovery: [{ name: 'proximity', k: 10 }, ...[3, 8, 14].map((n) => ({ name: 'niches', n, k: 15, seed: 1 }))],
};

const only = process.env.ONLY;
for (const [c, list] of Object.entries(ANALYSES)) {
  if (only && only !== c) continue;
  // Build the scenario once (the tissue answer), then time each analysis; the worker
  // keeps results per request, and each request here is new.
  const t0 = performance.now();
  ask({ op: 'case', case: c, seed, analysis: { name: 'tissue', dataset: false } });
  console.log(JSON.stringify({ case: c, analysis: 'build scenario', ms: +(performance.now() - t0).toFixed(1) }));
  for (const a of list) {
    let r;
    try {
      r = ask({ op: 'case', case: c, seed, analysis: a });
    } catch (e) {
      console.log(JSON.stringify({ case: c, analysis: a, error: String(e).slice(0, 200) }));
      continue;
    }
    console.log(JSON.stringify({ case: c, analysis: a, ms: +r.ms.toFixed(1) }));
  }
}
