// The physical floor of the first-call 1e7 group-by (groupby-1e7-first-call.mjs's "new arrays every
// run"), on this machine: the 120 MB copy-in alone (no hash) into a fresh SharedArrayBuffer (one
// buffer, or one per partition), the same copy into memory already touched, and a plain-JS
// group-by mean of the caller's arrays on one thread (no copy, no threads). Medians of wall time
// and of this thread's on-CPU time (/proc/thread-self/schedstat, Linux).
// Usage: node benchmarks/probes/first-call-floor.mjs [rows=1e7] [reps=9]
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { groupbyColumns } from './groupby-1e7-columns.mjs';
const [rowsArg, repsArg] = process.argv.slice(2);
const N = Number(rowsArg ?? 1e7);
const REPS = Number(repsArg ?? 9);
const P = 4;
const threadNs = () => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
const med = (a) => [...a].sort((p, q) => p - q)[a.length >> 1].toFixed(1);
const { x, y } = groupbyColumns(N);
const [xb, yb] = [new Uint8Array(x.buffer), new Uint8Array(y.buffer)];
const total = xb.length + yb.length;

function groupMean(keys, values) {
  const sums = new Float64Array(16);
  const counts = new Float64Array(16);
  for (let i = 0; i < keys.length; i++) {
    sums[keys[i]] += values[i];
    counts[keys[i]]++;
  }
  return sums.map((s, g) => s / counts[g]);
}

const touched = new SharedArrayBuffer(total);
const ways = {
  'fresh SAB, one buffer': () => {
    const s = new Uint8Array(new SharedArrayBuffer(total));
    s.set(xb, 0);
    s.set(yb, xb.length);
  },
  [`fresh SAB, ${P} buffers`]: () => {
    const [xs, ys] = [xb.length / P, yb.length / P];
    for (let p = 0; p < P; p++) {
      const s = new Uint8Array(new SharedArrayBuffer(xs + ys));
      s.set(xb.subarray(p * xs, (p + 1) * xs), 0);
      s.set(yb.subarray(p * ys, (p + 1) * ys), xs);
    }
  },
  'touched SAB': () => {
    const s = new Uint8Array(touched);
    s.set(xb, 0);
    s.set(yb, xb.length);
  },
  'plain-JS group-by mean, one thread': () => groupMean(x, y),
};
const wall = {}, cpu = {};
for (let r = 0; r <= REPS; r++) {
  for (const [name, f] of Object.entries(ways)) {
    const c = threadNs();
    const t = performance.now();
    f();
    const dt = performance.now() - t;
    if (r > 0) ((wall[name] ??= []).push(dt), (cpu[name] ??= []).push((threadNs() - c) / 1e6));
  }
}
for (const name of Object.keys(ways)) console.log(`${name}: wall ${med(wall[name])} ms, cpu ${med(cpu[name])} ms (medians of ${REPS})`);
