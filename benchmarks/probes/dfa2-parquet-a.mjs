// Workload (a)'s query (filter x > 0.5, groupby key, mean y) on a chosen set of the benchmark's
// files, pdask only: CPU time (process.cpuUsage, worker threads included) and wall time per run,
// and the GC time (PerformanceObserver) of this thread. Compares per-row cost of the full-size
// files (19 row groups of 263,157 rows) with the scale-0.1 ones (one row group of 500,000 rows).
//   node benchmarks/probes/dfa2-parquet-a.mjs DIR NFILES [runs=4] [sync|threads]
import path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { readParquet } from '@pdask/dataframe';
import { closeThreadPools } from '@pdask/core';
const [dir, nfiles, runsArg, sched] = process.argv.slice(2);
const n = Number(nfiles);
const runs = Number(runsArg ?? 4);
const scheduler = sched ?? 'sync';
const files = Array.from({ length: n }, (_, i) => path.join(dir, `part-${String(i).padStart(2, '0')}.parquet`));
let gc = 0;
new PerformanceObserver((l) => { for (const e of l.getEntries()) gc += e.duration; }).observe({ entryTypes: ['gc'] });
for (let i = 0; i < runs; i++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const g0 = gc;
  const df = await readParquet(files);
  const r = await df.filter(df.col('x').gt(0.5)).groupby('key').col('y').mean().compute({ scheduler });
  const c = process.cpuUsage(c0);
  console.log(`run ${i}: wall ${(performance.now() - t0).toFixed(0)} ms cpu ${((c.user + c.system) / 1000).toFixed(0)} ms (sys ${(c.system / 1000).toFixed(0)}) gc(main) ${(gc - g0).toFixed(0)} ms groups ${r.length} rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
}
await closeThreadPools();
