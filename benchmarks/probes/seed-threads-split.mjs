// One compute of the seed case on an explicit threads scheduler, split in phases (medians over
// many runs; wall clock, so run it on a quiet machine or compare runs made side by side):
// graph building on the caller, compute() up to the executor (optimise, order), the executor up to
// the batch's post, the post itself, post to report arrival (worker wake-up, the work, the reply,
// caller wake-up), and report arrival to the result in the caller's hands.
// node benchmarks/probes/seed-threads-split.mjs [runs] [warmup]
import * as da from '@pdask/array';
import { closeThreadPools, sharedThreadsExecutor, ThreadPool, ThreadsExecutor } from '@pdask/core';
const runs = Number(process.argv[2] ?? 3000), warm = Number(process.argv[3] ?? 3000);
const x = new Float64Array(10_000).map((_, i) => (i * 7919) % 1000 / 1000), y = x.map((v) => 1 - v);
let t = {};
const once = async () => {
  t.start = performance.now();
  const dx = da.fromArray(x, { chunks: 2500 }), dy = da.fromArray(y, { chunks: 2500 });
  const sum = dx.add(dy).sum();
  t.built = performance.now();
  const s = await sum.compute({ scheduler: 'threads' });
  t.end = performance.now();
  if (Math.abs(s - 10_000) > 1e-6) throw new Error(`wrong ${s}`);
};
const execute = ThreadsExecutor.prototype.execute;
ThreadsExecutor.prototype.execute = function (req) { t.executor = performance.now(); return execute.call(this, req); };
const send = ThreadPool.prototype.send;
ThreadPool.prototype.send = function (slot, msg) {
  if (msg.t === 'batch' && t.posting === undefined) t.posting = performance.now();
  send.call(this, slot, msg);
  if (msg.t === 'batch' && t.posted === undefined) t.posted = performance.now();
};
await once();
let work = 0;
const pool = sharedThreadsExecutor().pool;
pool.observe({ taskDone: (_slot, _key, _nb, ms) => { work += ms; } });
for (const s of pool.slots.values()) s.worker.prependListener('message', (m) => { if (m.t === 'done' && t.report === undefined) t.report = performance.now(); });
const phases = { 'graph building (caller)': [], 'compute() to executor: optimise, order': [], 'executor to post: state, encode, share': [], 'postMessage': [], 'post to report: wake, work, reply, wake': [], '  of which tasks ran (worker)': [], 'report to result': [], total: [] };
for (let i = 0; i < warm + runs; i++) {
  t = {}; work = 0;
  await once();
  if (i < warm) continue;
  const p = Object.values(phases);
  p[0].push(t.built - t.start); p[1].push(t.executor - t.built); p[2].push(t.posting - t.executor); p[3].push(t.posted - t.posting);
  p[4].push(t.report - t.posted); p[5].push(work); p[6].push(t.end - t.report); p[7].push(t.end - t.start);
}
for (const [name, a] of Object.entries(phases)) {
  a.sort((p, q) => p - q);
  console.log(name.padEnd(42), 'median', (a[a.length >> 1] * 1000).toFixed(0).padStart(5), 'µs   first quartile', (a[a.length >> 2] * 1000).toFixed(0).padStart(5), 'µs');
}
await closeThreadPools();
