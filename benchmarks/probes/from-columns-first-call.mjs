// The first call of the 1e7 group-by on new arrays (benchmarks/probes/groupby-1e7-first-call.mjs's
// "new arrays every run"), split: fromColumns (the copy-in: wall and the MAIN thread's on-CPU time
// from /proc/thread-self/schedstat, Linux) and the group-by's compute on threads (wall). On a
// loaded machine the wall times are mostly waiting for a core; the main thread's CPU time in
// fromColumns is what its wall time is when a core is free for it and one for the page helper.
// Usage: node benchmarks/probes/from-columns-first-call.mjs [rows=1e7] [reps=7]
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { groupbyColumns } from './groupby-1e7-columns.mjs';
const [rowsArg, repsArg] = process.argv.slice(2);
const N = Number(rowsArg ?? 1e7);
const REPS = Number(repsArg ?? 7);
const { fromColumns } = await import('../../packages/dataframe/dist/index.js');
const { closeThreadPools } = await import('../../packages/core/dist/index.js');
const threadNs = () => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const { x, y } = groupbyColumns(N);
const wall = [], cpu = [], compute = [];
for (let r = 0; r <= REPS; r++) {
  const d = { x: x.slice(), y: y.slice() };
  const c = threadNs();
  const t0 = performance.now();
  const df = fromColumns(d, { npartitions: 4 });
  const t1 = performance.now();
  const dc = (threadNs() - c) / 1e6;
  await df.groupby('x').col('y').mean().compute({ scheduler: 'threads' });
  const t2 = performance.now();
  if (r > 0) (wall.push(t1 - t0), cpu.push(dc), compute.push(t2 - t1));
}
console.log(`fromColumns: wall ${med(wall).toFixed(1)} ms, main-thread cpu ${med(cpu).toFixed(1)} ms; group-by compute ${med(compute).toFixed(1)} ms; whole ${med(wall.map((w, i) => w + compute[i])).toFixed(1)} ms (medians of ${REPS})`);
await closeThreadPools();
