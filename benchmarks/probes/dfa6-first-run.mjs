// Workload (a)'s first run in a fresh process, as the benchmark's first repetition: the time to
// build the graph (readParquet: glob, footers) and the whole compute on threads. DF_DIST loads
// another build of @pdask/dataframe on the calling thread (workers load the package by name; a
// copy of dist must sit inside the repository, e.g. packages/dataframe/ab/base/dist, so that it
// resolves @pdask/core); GRAPH_ONLY=1 stops after readParquet.
//   DF_DIST=packages/dataframe/ab/base/dist node benchmarks/probes/dfa6-first-run.mjs DIR
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { closeThreadPools } from '@pdask/core';
const dd = await import(process.env.DF_DIST ? pathToFileURL(path.resolve(process.env.DF_DIST, 'index.js')).href : '@pdask/dataframe');
const [dir] = process.argv.slice(2);
const c0 = process.cpuUsage();
const t0 = performance.now();
const df = await dd.readParquet(path.join(dir, '*.parquet'));
const t1 = performance.now();
if (process.env.GRAPH_ONLY) {
  const c = process.cpuUsage(c0);
  console.log(`graph ${(t1 - t0).toFixed(1)} ms cpu ${Math.round((c.user + c.system) / 1000)} ms`);
  process.exit(0);
}
const r = await df.filter(df.col('x').gt(0.5)).groupby('key').col('y').mean().compute({ scheduler: 'threads' });
const t2 = performance.now();
const c = process.cpuUsage(c0);
console.log(`graph ${(t1 - t0).toFixed(1)} ms wall ${(t2 - t0).toFixed(0)} ms cpu ${Math.round((c.user + c.system) / 1000)} ms groups ${r.length}`);
await closeThreadPools();
