// Answers each case page's first view with the site's own data worker (the wasm
// module the page starts, run here in Node), so the precomputed answers shipped in
// dist/bundle/cases are bit for bit what the reader's browser recomputes: native
// code may round differently (FMA, other matrix-product kernels, another libm).
// `sbx demo` wrote the requests (and its native answers) into cases/<case>.json;
// this rewrites each answer and its Arrow bytes with the worker's, and says which
// native answers differed.
//   node .ci/precompute-cases.mjs dist
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";

const dist = process.argv[2] ?? "dist";
const cases = path.join(dist, "bundle", "cases");
const glue = fs.readdirSync(dist).find((f) => /^data-worker(-[0-9a-f]+)?\.js$/.test(f));
const wasm = fs.readdirSync(dist).find((f) => /^data-worker(-[0-9a-f]+)?_bg\.wasm$/.test(f));
if (!glue || !wasm || !fs.existsSync(cases)) {
  console.error(`precompute-cases: no data worker or no ${cases} in ${dist}`);
  process.exit(1);
}

// The worker's global scope, as far as the worker uses it: postMessage and onmessage.
let answer = null;
globalThis.self = globalThis;
globalThis.postMessage = (msg) => {
  answer = msg;
};
vm.runInThisContext(fs.readFileSync(path.join(dist, glue), "utf8") + "\n;globalThis.__sbxWorker = wasm_bindgen;");
globalThis.__sbxWorker.initSync({ module: fs.readFileSync(path.join(dist, wasm)) });
if (!answer || !String(answer.response).includes('"ready"')) {
  console.error("precompute-cases: the worker did not start", answer);
  process.exit(1);
}

/** The worker's answer to one request text: (JSON text, bytes or null). */
function ask(request) {
  answer = null;
  globalThis.onmessage({ data: { request } });
  if (!answer) throw new Error(`no answer to ${request}`);
  return [answer.response, answer.bytes ? new Uint8Array(answer.bytes) : null];
}

let total = 0;
const differed = [];
for (const file of fs.readdirSync(cases).filter((f) => f.endsWith(".json")).sort()) {
  const index = JSON.parse(fs.readFileSync(path.join(cases, file), "utf8"));
  const entries = [];
  const t0 = performance.now();
  for (const a of index.answers) {
    const [text, bytes] = ask(a.request);
    const live = JSON.parse(text);
    if (live.kind !== "case") throw new Error(`${a.request}: ${text}`);
    if (live.digest !== a.reply.digest) differed.push(`${index.case} ${live.analysis}`);
    // A zero time, as in the native file: the answer does not depend on the build's speed.
    const reply = text.replace(/"ms":[^,]*,/, '"ms":0,');
    let name = null;
    if (bytes) {
      name = a.bytes ?? `${index.case}-${entries.length}.arrow`;
      fs.writeFileSync(path.join(cases, name), bytes);
    }
    entries.push(`{"request":${JSON.stringify(a.request)},"reply":${reply},"bytes":${JSON.stringify(name)}}`);
    total += 1;
  }
  fs.writeFileSync(
    path.join(cases, file),
    `{"case":${JSON.stringify(index.case)},"seed":${index.seed},"computed_by":"data worker (wasm)","answers":[${entries.join(",")}]}`,
  );
  console.log(`precompute-cases: ${index.case}: ${index.answers.length} answers in ${(performance.now() - t0).toFixed(0)} ms`);
}
console.log(
  `precompute-cases: ${total} answers from the data worker; native answers that differed: ${differed.length ? differed.join(", ") : "none"}`,
);
