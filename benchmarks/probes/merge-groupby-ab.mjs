// A/B of issue #12 workload (b) (merge + groupby of in-memory columns, the other fromColumns and
// shuffle user) between two built checkouts: run it alternately with each tree's path. Prints
// wall and process CPU time (all threads) per rep and their medians. Usage:
//   node benchmarks/probes/merge-groupby-ab.mjs <checkout> [scale=0.1] [repeats=5]
import { xorshift } from '../src/xorshift.mjs';
import { checkoutModules } from './checkout.mjs';
const [tree, scaleArg, repsArg] = process.argv.slice(2);
const scale = Number(scaleArg ?? 0.1);
const reps = Number(repsArg ?? 5);
const { fromColumns, closeThreadPools } = await checkoutModules(tree, 'merge-groupby-ab.mjs <checkout> [scale] [repeats]');
const L = Math.round(2e7 * scale);
const R = Math.round(2e6 * scale);
// The workload's input (benchmarks/src/workloads/dataframe-engine.ts, mergeInput): xorshift32, seed 12345.
const u = xorshift(12345);
const k = Int32Array.from({ length: L }, () => Math.floor(u() * R));
const v = Float64Array.from({ length: L }, u);
const rk = Int32Array.from({ length: R }, (_, i) => i);
const g = Int32Array.from({ length: R }, (_, i) => i % 100);
const walls = [];
const cpus = [];
for (let r = 0; r < reps; r++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const left = fromColumns({ k, v }, { npartitions: 20 });
  const right = fromColumns({ k: rk, g }, { npartitions: 2 });
  const out = await left.merge(right, { on: 'k' }).groupby('g').col('v').mean().compute({ scheduler: 'threads' });
  if (out.length !== 100) throw new Error(`expected 100 groups, got ${out.length}`);
  walls.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  cpus.push((c.user + c.system) / 1000);
}
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1].toFixed(0);
console.log(`wall ms ${walls.map((x) => x.toFixed(0)).join(' ')} (median ${med(walls)}); cpu ms ${cpus.map((x) => x.toFixed(0)).join(' ')} (median ${med(cpus)})`);
await closeThreadPools();
