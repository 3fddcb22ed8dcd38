// The snappy kernel alone on real pages (snappy-pages-extract.mjs): every page of x and y (and of
// key with KEY=1) decompressed by each given kernels.wasm in turn, passes interleaved; prints the
// process CPU time per pass and the median's MB/s of output. The outputs' hashes must agree.
//   node benchmarks/probes/snappy-pages-bench.mjs /tmp/pages.bin 11 base/kernels.wasm packages/kernels/generated/kernels.wasm
import fs from 'node:fs';
const [pagesFile, reps, ...wasms] = process.argv.slice(2);
const b = fs.readFileSync(pagesFile);
const pages = [];
let p = 0, total = 0, inTotal = 0;
while (p < b.length) { const col = b.readUInt32LE(p), cl = b.readUInt32LE(p + 4), ul = b.readUInt32LE(p + 8); p += 12; if (col !== 0 || process.env.KEY) { pages.push({ off: p, cl, ul }); total += ul; inTotal += cl; } p += cl; }
const insts = wasms.map((w) => {
  const memory = new WebAssembly.Memory({ initial: 256 * 1024 * 1024 / 65536, maximum: 65536 });
  const inst = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(w)), { env: { memory } });
  const u8 = new Uint8Array(memory.buffer);
  // The pages one after another from 1 MiB (16 bytes of room after each), the output after them.
  let at = 1 << 20; for (const pg of pages) { pg.at ??= at; u8.set(b.subarray(pg.off, pg.off + pg.cl), at); at += pg.cl + 16; }
  const out = at + 64;
  return { w, f: inst.exports.snappy_uncompress, out, u8 };
});
// A sampled hash of every page's output per kernel (they must agree).
const ref = [];
for (const [i, k] of insts.entries()) {
  let h = 0;
  for (const pg of pages) { const r = k.f(pg.at, pg.cl, k.out, pg.ul); if (r !== pg.ul) throw new Error(`${k.w}: ${r}`); const v = k.u8.subarray(k.out, k.out + pg.ul); for (let j = 0; j < v.length; j += 61) h = (h * 31 + v[j]) | 0; }
  ref.push(h);
}
console.log('pages', pages.length, 'out MB', (total / 1e6).toFixed(1), 'in MB', (inTotal / 1e6).toFixed(1), 'hashes', ref.join(' '));
const res = insts.map(() => []);
for (let r = 0; r < Number(reps); r++) for (const [i, k] of insts.entries()) {
  const c0 = process.cpuUsage(); const t0 = performance.now();
  for (const pg of pages) k.f(pg.at, pg.cl, k.out, pg.ul);
  const c = process.cpuUsage(c0); const t = performance.now() - t0;
  res[i].push([t, (c.user + c.system) / 1000]);
}
for (const [i, k] of insts.entries()) {
  const cpus = res[i].map((x) => x[1]).sort((a, c) => a - c);
  console.log(k.w, 'cpu ms per pass:', res[i].map((x) => x[1].toFixed(0)).join(' '), ' median', cpus[cpus.length >> 1].toFixed(0), 'MB/s', (total / 1e3 / cpus[cpus.length >> 1]).toFixed(0));
}
