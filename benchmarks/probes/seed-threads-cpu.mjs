// CPU time per compute of the seed case, by thread (Linux schedstat, ns), sync vs explicit threads,
// interleaved: on a loaded machine wall time is noise, on-CPU time per thread much less so.
// node benchmarks/probes/seed-threads-cpu.mjs [runs] [warmup]
import { readdirSync, readFileSync } from 'node:fs';
import * as da from '@pdask/array';
import { closeThreadPools } from '@pdask/core';
const runs = Number(process.argv[2] ?? 2000), warm = Number(process.argv[3] ?? 3000);
const x = new Float64Array(10_000).map((_, i) => (i * 7919) % 1000 / 1000), y = x.map((v) => 1 - v);
const once = async (scheduler) => {
  const dx = da.fromArray(x, { chunks: 2500 }), dy = da.fromArray(y, { chunks: 2500 });
  const s = await dx.add(dy).sum().compute({ scheduler });
  if (Math.abs(s - 10_000) > 1e-6) throw new Error(`wrong ${s}`);
};
/** On-CPU ns of the main thread and of all other threads of this process. */
function cpu() {
  let main = 0, other = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    const ns = Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    if (Number(tid) === process.pid) main += ns; else other += ns;
  }
  return { main, other };
}
for (let i = 0; i < warm; i++) { await once('sync'); await once('threads'); }
const res = { sync: [], threads: [] };
for (let r = 0; r < 10; r++) {
  for (const mode of ['sync', 'threads']) {
    const c0 = cpu(), t0 = performance.now();
    for (let i = 0; i < runs / 10; i++) await once(mode);
    const c1 = cpu(), t1 = performance.now();
    const n = runs / 10;
    res[mode].push({ wall: ((t1 - t0) * 1000) / n, main: (c1.main - c0.main) / 1000 / n, other: (c1.other - c0.other) / 1000 / n });
  }
}
const med = (a) => a.slice().sort((p, q) => p - q)[a.length >> 1];
for (const mode of ['sync', 'threads']) {
  const a = res[mode];
  console.log(`${mode.padEnd(8)} µs per compute, medians of 10 blocks: wall ${med(a.map((e) => e.wall)).toFixed(0)}, main thread CPU ${med(a.map((e) => e.main)).toFixed(0)}, other threads CPU ${med(a.map((e) => e.other)).toFixed(0)}`);
}
await closeThreadPools();
