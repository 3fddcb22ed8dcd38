// Where fromColumns' first-call copy-in of the 1e7 group-by goes (dataframe README, session 14): a fresh SharedArrayBuffer and
// the copy of 120 MB into it, the same copy into a buffer already touched, and XXH64 over it.
// Usage: node benchmarks/probes/copy-in-parts.mjs
import { performance } from 'node:perf_hooks';
const { loadKernelsSync } = await import('../../packages/kernels/dist/index.js');
const k = loadKernelsSync();
const N = 1e7;
const x = new Int32Array(N).map((_, i) => i % 10);
const y = new Float64Array(N).map((_, i) => (i * 0.618) % 1);
const total = x.byteLength + y.byteLength;
const med = (a) => [...a].sort((p, q) => p - q)[a.length >> 1];
const fresh = [], reused = [], hash = [];
const keep = new SharedArrayBuffer(total);
for (let r = 0; r < 7; r++) {
  let t = performance.now();
  const s = new SharedArrayBuffer(total);
  const b = new Uint8Array(s);
  b.set(new Uint8Array(x.buffer), 0);
  b.set(new Uint8Array(y.buffer), x.byteLength);
  fresh.push(performance.now() - t);
  t = performance.now();
  const kb = new Uint8Array(keep);
  kb.set(new Uint8Array(x.buffer), 0);
  kb.set(new Uint8Array(y.buffer), x.byteLength);
  reused.push(performance.now() - t);
  t = performance.now();
  k.hash64(b);
  hash.push(performance.now() - t);
}
console.log(`120 MB: fresh SAB + copy ${med(fresh).toFixed(1)} ms, copy into a touched SAB ${med(reused).toFixed(1)} ms, XXH64 ${med(hash).toFixed(1)} ms (medians of 7)`);
