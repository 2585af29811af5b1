// Writing freshly grown WebAssembly memory against writing it again (BENCHMARKS.md, "Cold
// against warm"): the first write to each new page makes the system supply a zeroed page.
//   node bench/site/first_touch.mjs
const m = new WebAssembly.Memory({ initial: 100, maximum: 65536 });
for (let r = 0; r < 3; r++) {
  const before = m.buffer.byteLength;
  let t = performance.now();
  m.grow(400); // 26 MB
  const g = performance.now() - t;
  const u = new Float32Array(m.buffer, before, 400 * 65536 / 4);
  t = performance.now(); for (let i = 0; i < u.length; i++) u[i] = i; const first = performance.now() - t;
  t = performance.now(); for (let i = 0; i < u.length; i++) u[i] = i + 1; const second = performance.now() - t;
  console.log(`grow ${g.toFixed(2)} ms, first write 26MB ${first.toFixed(1)} ms, second ${second.toFixed(1)} ms`);
}
