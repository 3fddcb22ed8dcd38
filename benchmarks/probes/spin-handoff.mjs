// Would a worker that polls shared memory instead of sleeping make back-to-back tiny computes
// faster? Round trips caller -> worker -> caller with ~100 µs of caller work between them (as
// graph building is), three ways, interleaved:
//   sleep:        both threads wait in their event loops (what the pool does);
//   worker-spin:  after replying, the worker polls a shared counter for up to 300 µs and takes the
//                 next message with receiveMessageOnPort instead of sleeping;
//   both-spin:    the caller also polls for the reply (up to 1 ms) instead of awaiting it.
// Wall time per round trip (medians) and CPU time of the whole process per trip.
// node benchmarks/probes/spin-handoff.mjs [trips]
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
const trips = Number(process.argv[2] ?? 3000);
const st = new Int32Array(new SharedArrayBuffer(8));
const { port1, port2 } = new MessageChannel();
const w = new Worker(
  `const { parentPort, workerData, receiveMessageOnPort } = require('node:worker_threads');
const st = new Int32Array(workerData.buf), reply = workerData.port;
function handle(m) {
  reply.postMessage(m.n);
  if (!m.spin) return;
  const seen = Atomics.load(st, 0), t0 = performance.now();
  while (performance.now() - t0 < 0.3) {
    if (Atomics.load(st, 0) === seen) continue;
    const r = receiveMessageOnPort(parentPort);
    if (r) return handle(r.message);
  }
}
parentPort.on('message', handle);`,
  { eval: true, workerData: { buf: st.buffer, port: port2 }, transferList: [port2] },
);
const busy = (us) => { const t = performance.now(); while (performance.now() - t < us / 1000); };
const post = (n, spin) => { w.postMessage({ n, spin }); Atomics.add(st, 0, 1); };
const modes = {
  sleep: (n) => { const p = new Promise((r) => port1.once('message', r)); post(n, false); return p; },
  'worker-spin': (n) => { const p = new Promise((r) => port1.once('message', r)); post(n, true); return p; },
  'both-spin': (n) => {
    post(n, true);
    const t0 = performance.now();
    while (performance.now() - t0 < 1) { const r = receiveMessageOnPort(port1); if (r) return r.message; }
    return new Promise((r) => port1.once('message', r));
  },
};
const res = Object.fromEntries(Object.keys(modes).map((k) => [k, { t: [], cpu: 0 }]));
for (let block = 0; block < 10; block++) {
  for (const [name, trip] of Object.entries(modes)) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < trips / 10; i++) {
      busy(100);
      const t = performance.now();
      await trip(i);
      if (block > 0) res[name].t.push((performance.now() - t) * 1000);
    }
    const c = process.cpuUsage(c0);
    if (block > 0) res[name].cpu += c.user + c.system;
  }
}
for (const [name, { t, cpu }] of Object.entries(res)) {
  t.sort((a, b) => a - b);
  console.log(name.padEnd(12), 'round trip µs: median', t[t.length >> 1].toFixed(0), ' first quartile', t[t.length >> 2].toFixed(0), ' | CPU µs per trip (both threads, incl. 100 µs caller work)', (cpu / t.length).toFixed(0));
}
await w.terminate();
