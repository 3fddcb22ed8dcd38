// Per-block wall and CPU (by thread, Linux schedstat) of MiniBatchKMeans.partialFit over blocks
// of 1e5 x 10 rows in 2 chunks each (the ml-minibatch-kmeans-1e7 workload, fewer blocks).
// node benchmarks/probes/minibatch-blocks.mjs [blocks] [passes] [module of MiniBatchKMeans, for A/B]
import { readdirSync, readFileSync } from 'node:fs';
import * as da from '@pdask/array';
import { closeThreadPools } from '@pdask/core';
const { MiniBatchKMeans } = process.argv[4] ? await import(process.argv[4]) : await import('@pdask/ml');
const nb = Number(process.argv[2] ?? 50), passes = Number(process.argv[3] ?? 3);
const B = 100_000, d = 10, k = 8;
let s = 11;
const u = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 2 ** 32; };
const cs = Float64Array.from({ length: k * d }, () => 4 * u() - 2);
const x = new Float64Array(nb * B * d);
for (let i = 0; i < nb * B; i++) for (let t = 0; t < d; t++) x[i * d + t] = cs[(i % k) * d + t] + 4 * u() - 2;
const blocks = [];
for (let b = 0; b < nb; b++) blocks.push(da.fromArray(x.subarray(b * B * d, (b + 1) * B * d), { shape: [B, d], chunks: [B / 2, d] }));
function perThread() {
  const o = {};
  for (const tid of readdirSync('/proc/self/task')) {
    try { o[tid] = Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]); } catch {}
  }
  return o;
}
function cpu() {
  let main = 0, other = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    let ns = 0;
    try { ns = Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]); } catch { continue; }
    if (Number(tid) === process.pid) main += ns; else other += ns;
  }
  return { main, other };
}
const res = [];
for (let p = 0; p < passes; p++) {
  const m = new MiniBatchKMeans({ nClusters: k, seed: 0 });
  const c0 = cpu(), t0 = performance.now(), p0 = perThread();
  for (const b of blocks) await m.partialFit(b, { scheduler: 'threads' });
  const c1 = cpu(), t1 = performance.now(), p1 = perThread();
  console.log('busiest threads, ms per block:', Object.keys(p1).map((t) => [t, (p1[t] - (p0[t] ?? 0)) / 1e6 / nb]).sort((a, b) => b[1] - a[1]).slice(0, 5).map(([t, v]) => `${t}:${v.toFixed(2)}`).join(' '));
  res.push({ wall: (t1 - t0) / nb, main: (c1.main - c0.main) / 1e6 / nb, other: (c1.other - c0.other) / 1e6 / nb });
  if (p === passes - 1) console.log('centers[0..3]', Array.from(m.clusterCenters.data.slice(0, 4)).map((v) => v.toFixed(6)).join(' '));
}
for (const r of res) console.log(`ms per block: wall ${r.wall.toFixed(2)}, main CPU ${r.main.toFixed(2)}, other threads CPU ${r.other.toFixed(2)}`);
await closeThreadPools();
