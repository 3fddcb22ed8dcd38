// A/B of workload (a)'s query (filter x > 0.5, groupby key, mean y) between builds of
// @pdask/dataframe: the calling thread loads the `dist` folder named by DF_DIST (default: the
// package's own). Worker threads load the package by name, so on the threads scheduler both
// builds must be copied in turn over packages/dataframe/dist instead (DF_DIST alone is an A/B of
// the sync scheduler only). Prints process CPU time (worker threads included) and wall time per
// run, and a checksum of the group means so that builds can be seen to agree.
//   DF_DIST=packages/dataframe/ab/base/dist node benchmarks/probes/dfa3-parquet-ab.mjs DIR NFILES [runs=4] [sync|threads]
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { closeThreadPools } from '@pdask/core';
const [dir, nfiles, runsArg, sched] = process.argv.slice(2);
const dd = await import(process.env.DF_DIST ? pathToFileURL(path.resolve(process.env.DF_DIST, 'index.js')).href : '@pdask/dataframe');
const files = Array.from({ length: Number(nfiles) }, (_, i) => path.join(dir, `part-${String(i).padStart(2, '0')}.parquet`));
const cpus = [];
for (let i = 0; i < Number(runsArg ?? 4); i++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const df = await dd.readParquet(files);
  const r = await df.filter(df.col('x').gt(0.5)).groupby('key').col('y').mean().compute({ scheduler: sched ?? 'sync' });
  const c = process.cpuUsage(c0);
  let sum = 0;
  for (let j = 0; j < r.length; j++) sum += r.at(j) * (j + 1);
  cpus.push(Math.round((c.user + c.system) / 1000));
  console.log(`run ${i}: wall ${(performance.now() - t0).toFixed(0)} ms cpu ${cpus.at(-1)} ms groups ${r.length} check ${sum.toFixed(9)}`);
}
console.log(`cpu runs 2..: ${cpus.slice(1).join(' ')}`);
await closeThreadPools();
