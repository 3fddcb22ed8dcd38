// The 1e7-row group-by (dataframe-groupby-mean-1e7's computation) on threads, timed two ways:
// on new arrays every run (fromColumns copies and hashes them: a first call on new data) and on
// the same arrays every run (fromColumns reuses its remembered copy after comparing the bytes:
// what the benchmark's repeats measure). Medians of REPS runs each, after one untimed run.
// Usage: node benchmarks/probes/groupby-1e7-first-call.mjs [rows=1e7] [reps=5]
import { performance } from 'node:perf_hooks';
import { groupbyColumns } from './groupby-1e7-columns.mjs';
const [rowsArg, repsArg] = process.argv.slice(2);
const N = Number(rowsArg ?? 1e7);
const REPS = Number(repsArg ?? 5);
const { fromColumns } = await import('../../packages/dataframe/dist/index.js');
const { closeThreadPools } = await import('../../packages/core/dist/index.js');

const columns = () => groupbyColumns(N);
const run = (d) => fromColumns({ x: d.x, y: d.y }, { npartitions: 4 }).groupby('x').col('y').mean().compute({ scheduler: 'threads' });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timed(makeInput) {
  const ts = [];
  for (let r = 0; r <= REPS; r++) {
    const d = makeInput();
    const t0 = performance.now();
    await run(d);
    if (r > 0) ts.push(performance.now() - t0);
  }
  return ts;
}
const same = columns();
const fresh = await timed(() => ({ x: same.x.slice(), y: same.y.slice() }));
const repeated = await timed(() => same);
console.log(`new arrays every run: median ${median(fresh).toFixed(1)} ms (${fresh.map((t) => t.toFixed(1)).join(' / ')})`);
console.log(`same arrays every run: median ${median(repeated).toFixed(1)} ms (${repeated.map((t) => t.toFixed(1)).join(' / ')})`);
await closeThreadPools();
