// Times the exported workloads of the wasm build under Node and prints JSON.
// usage: node run.mjs path/to/sbx_kernels_wasm_bench.wasm [repeat]
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

const [wasmPath, repeatArg] = process.argv.slice(2);
const repeat = Number(repeatArg ?? 3);
const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), {});
const ex = instance.exports;

function best(name) {
  let t = Infinity;
  let value;
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    value = ex[name]();
    t = Math.min(t, (performance.now() - t0) / 1000);
  }
  return [t, value];
}

const out = {};
const t0 = performance.now();
ex.setup();
out.setup_s = (performance.now() - t0) / 1000;
for (const [key, fn] of [
  ["sim_dbit_s", "sim_dbit"],
  ["de_barcode_wilcoxon_s", "de_barcode_wilcoxon"],
  ["de_barcode_welch_s", "de_barcode_welch"],
  ["de_donor_pseudobulk_s", "de_donor_pseudobulk"],
  ["knn_k10_s", "knn_k10"],
  ["nhood_enrichment_1000_s", "nhood_enrichment_1000"],
  ["morans_i_10_s", "morans_i_10"],
]) {
  const [t, v] = best(fn);
  out[key] = t;
  out[key.replace(/_s$/, "_value")] = Number(v);
}
console.log(JSON.stringify(out));
