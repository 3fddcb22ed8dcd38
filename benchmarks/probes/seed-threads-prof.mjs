// The array seed case on an explicit threads scheduler in a loop, for --cpu-prof of the caller's
// side (graph building, optimisation, the executor around the post and the report).
// node --cpu-prof --cpu-prof-dir DIR benchmarks/probes/seed-threads-prof.mjs [runs] [warmup]
import * as da from '@pdask/array';
import { closeThreadPools } from '@pdask/core';
const runs = Number(process.argv[2] ?? 3000), warm = Number(process.argv[3] ?? 3000);
const x = new Float64Array(10_000).map((_, i) => (i * 7919) % 1000 / 1000), y = x.map((v) => 1 - v);
const once = async () => {
  const dx = da.fromArray(x, { chunks: 2500 }), dy = da.fromArray(y, { chunks: 2500 });
  const s = await dx.add(dy).sum().compute({ scheduler: 'threads' });
  if (Math.abs(s - 10_000) > 1e-6) throw new Error(`wrong ${s}`);
};
for (let i = 0; i < warm; i++) await once();
const c0 = process.cpuUsage();
for (let i = 0; i < runs; i++) await once();
const c = process.cpuUsage(c0);
console.log('seed threads cpu µs per compute (all threads):', ((c.user + c.system) / runs).toFixed(0));
await closeThreadPools();
