// The array seed case on an explicit threads scheduler in a loop (for --cpu-prof and A/B timing).
// node benchmarks/probes/seed-threads.mjs [runs] [warmup]
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
const times = [];
const cpu0 = process.cpuUsage();
for (let r = 0; r < 5; r++) {
  const t = performance.now();
  for (let i = 0; i < runs / 5; i++) await once();
  times.push(((performance.now() - t) / (runs / 5)) * 1000);
}
const cpu = process.cpuUsage(cpu0);
times.sort((a, b) => a - b);
// CPU time of all threads (main and workers) per compute: less sensitive to other load than wall time.
console.log('seed threads µs per compute, 5 blocks, sorted:', times.map((t) => t.toFixed(0)).join(' '), '| cpu µs per compute (all threads):', ((cpu.user + cpu.system) / runs).toFixed(0));
await closeThreadPools();
