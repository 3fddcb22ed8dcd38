// Where the time and memory of issue #12 workload (c) go (dataframe README, session 14): setIndex
// of ROWS random float64 keys plus a float64 column, 20 partitions, persisted on threads, timed
// step by step (fromColumns; setIndex's sample gather; the persist: shuffle + sorts) with the
// process's CPU time and resident memory after each step. Run it alternately with two built
// checkouts for an A/B. Usage:
//   node [--cpu-prof --cpu-prof-dir DIR] benchmarks/probes/set-index-steps.mjs <checkout> [rows=2e7] [repeats=3]
import { xorshift } from '../src/xorshift.mjs';
import { checkoutModules } from './checkout.mjs';
const [tree, rowsArg, repsArg] = process.argv.slice(2);
const N = Number(rowsArg ?? 2e7);
const reps = Number(repsArg ?? 3);
const { fromColumns, closeThreadPools } = await checkoutModules(tree, 'set-index-steps.mjs <checkout> [rows] [repeats]');
// The workload's input: xorshift32 (seed 777), k and v interleaved from one stream.
const next = xorshift(777);
const k = Float64Array.from({ length: N }, next);
const v = Float64Array.from({ length: N }, next);
const mb = (b) => (b / 2 ** 20).toFixed(0);
for (let r = 0; r < reps; r++) {
  const steps = [];
  const c0 = process.cpuUsage();
  let t = performance.now();
  let c = process.cpuUsage();
  const mark = (label) => {
    const now = performance.now();
    const cu = process.cpuUsage(c);
    steps.push(`${label} ${(now - t).toFixed(0)} ms (cpu ${((cu.user + cu.system) / 1000).toFixed(0)}, rss ${mb(process.memoryUsage().rss)} MB)`);
    t = now;
    c = process.cpuUsage();
  };
  const df = fromColumns({ k, v }, { npartitions: 20 });
  mark('fromColumns');
  const idx = await df.setIndex('k');
  mark('setIndex (sample)');
  const out = await idx.persist({ scheduler: 'threads' });
  mark('persist');
  if (out.npartitions < 1) throw new Error('no partitions');
  const all = process.cpuUsage(c0);
  console.log(`rep ${r}: ${steps.join('; ')}; total cpu ${((all.user + all.system) / 1000).toFixed(0)} ms; maxRSS ${mb(process.resourceUsage().maxRSS * 1024)} MB`);
}
await closeThreadPools();
