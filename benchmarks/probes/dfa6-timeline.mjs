// The wall timeline of workload (a) on the threads scheduler: run under --cpu-prof (each worker
// thread writes its own profile), it prints the phases' marks on the monotonic clock that the
// profiles use; dfa6-timeline-read.mjs then shows each thread's busy share per interval.
//   node --cpu-prof --cpu-prof-dir /tmp/prof benchmarks/probes/dfa6-timeline.mjs DIR [runs=1]
import path from 'node:path';
import { closeThreadPools } from '@pdask/core';
import { readParquet } from '@pdask/dataframe';
const [dir, runsArg] = process.argv.slice(2);
const us = () => Number(process.hrtime.bigint() / 1000n);
const marks = [];
for (let i = 0; i < Number(runsArg ?? 1); i++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  marks.push(['start', us()]);
  const df = await readParquet(path.join(dir, '*.parquet'));
  marks.push(['graph', us()]);
  const r = await df.filter(df.col('x').gt(0.5)).groupby('key').col('y').mean().compute({ scheduler: 'threads' });
  marks.push(['done', us()]);
  const c = process.cpuUsage(c0);
  console.log(`run ${i}: wall ${(performance.now() - t0).toFixed(0)} ms cpu ${Math.round((c.user + c.system) / 1000)} ms groups ${r.length}`);
}
console.log('MARKS ' + JSON.stringify(marks));
await closeThreadPools();
