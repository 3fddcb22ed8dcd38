// A/B of three array computations between two built checkouts (array README, issue 16, session
// 12): run it alternately with each tree's path, in the same minutes. Prints the medians of wall
// time and of the process's CPU time (all threads) per compute. Usage:
//   node benchmarks/probes/persisted-ab.mjs <checkout> persisted|sum|random [repeats=7]
// persisted: random((10000, 10000), chunks 1000).persist() on threads (seed 7), then
//   ((x - 0.5) * (x - 0.5)).mean(); sum: fromArray of 1e8 float64 in 4 chunks, sum();
//   random: random((10000, 10000), chunks 1000).mean().
const [tree, w, repsArg] = process.argv.slice(2);
if (!tree || !['persisted', 'sum', 'random'].includes(w)) throw new Error('usage: persisted-ab.mjs <checkout> persisted|sum|random [repeats]');
const reps = Number(repsArg ?? 7);
const da = await import(`${tree}/packages/array/dist/index.js`);
const { closeThreadPools } = await import(`${tree}/packages/core/dist/index.js`);
const threads = { scheduler: 'threads' };
let run;
if (w === 'persisted') {
  const x = await da.random.random([10000, 10000], { chunks: [1000, 1000], seed: 7 }).persist(threads);
  run = async () => {
    const d = x.sub(0.5);
    return d.mul(d).mean().compute(threads);
  };
} else if (w === 'sum') {
  const N = 1e8;
  const a = new Float64Array(N);
  for (let i = 0; i < N; i++) a[i] = (i % 1000) / 1000;
  const dx = da.fromArray(a, { chunks: [N / 4], name: 'ab-sum' });
  run = () => dx.sum().compute(threads);
} else {
  run = () => da.random.random([10000, 10000], { chunks: [1000, 1000] }).mean().compute(threads);
}
await run();
const walls = [];
const cpus = [];
for (let i = 0; i < reps; i++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await run();
  walls.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  cpus.push((c.user + c.system) / 1000);
}
const med = (a) => [...a].sort((p, q) => p - q)[a.length >> 1];
console.log(w.padEnd(9), tree.split('/').pop().padEnd(12), 'wall', med(walls).toFixed(1), 'ms  cpu', med(cpus).toFixed(1), 'ms');
await closeThreadPools();
