// Which path the seed case's computes take on an explicit threads scheduler: tasks per compute,
// worker threads used, messages sent to workers, and reports back (pool observer + send counter).
// node benchmarks/probes/seed-threads-path.mjs [runs]
import * as da from '@pdask/array';
import { closeThreadPools, sharedThreadsExecutor, ThreadPool } from '@pdask/core';
const runs = Number(process.argv[2] ?? 200);
const x = new Float64Array(10_000).map((_, i) => (i * 7919) % 1000 / 1000), y = x.map((v) => 1 - v);
const once = async () => {
  const dx = da.fromArray(x, { chunks: 2500 }), dy = da.fromArray(y, { chunks: 2500 });
  const s = await dx.add(dy).sum().compute({ scheduler: 'threads' });
  if (Math.abs(s - 10_000) > 1e-6) throw new Error(`wrong ${s}`);
};
await once();
const pool = sharedThreadsExecutor().pool;
let tasks = 0, slots = new Set(), sent = new Map(), reports = 0;
pool.observe({ taskDone: (slot) => { tasks++; slots.add(slot); } });
const send = ThreadPool.prototype.send;
ThreadPool.prototype.send = function (slot, msg) { sent.set(msg.t, (sent.get(msg.t) ?? 0) + 1); return send.call(this, slot, msg); };
for (const s of pool.slots.values()) s.worker.on('message', () => reports++);
const perRun = [];
for (let i = 0; i < runs; i++) {
  tasks = 0; slots = new Set(); sent = new Map(); reports = 0;
  await once();
  await new Promise((r) => setTimeout(r, 1));
  perRun.push(`${tasks} tasks on ${slots.size} worker(s), sent ${[...sent].map(([t, n]) => `${n} ${t}`).join(', ')}, ${reports} report(s)`);
}
const counts = new Map();
for (const p of perRun) counts.set(p, (counts.get(p) ?? 0) + 1);
for (const [p, n] of counts) console.log(`${n} x ${p}`);
await closeThreadPools();
