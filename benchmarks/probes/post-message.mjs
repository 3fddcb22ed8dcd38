// How much a worker_threads round trip costs with and without typed-array payloads (array README: tiny graphs on threads).
import { Worker } from 'node:worker_threads';
const w = new Worker(`const { parentPort } = require('node:worker_threads'); parentPort.on('message', (m) => parentPort.postMessage(m.length ?? 0));`, { eval: true });
const a = new Float64Array(10000), b = new Float64Array(10000);
async function rt(msg) { return new Promise((r) => { w.once('message', r); w.postMessage(msg); }); }
for (const [label, mk] of [['tiny', () => [1]], ['2x80KB copies', () => [a.slice(), b.slice()]], ['2x80KB same', () => [a, b]]]) {
  for (let i = 0; i < 2000; i++) await rt(mk());
  const t = performance.now();
  for (let i = 0; i < 5000; i++) await rt(mk());
  console.log(label, ((performance.now() - t) / 5).toFixed(0), 'µs per round trip');
}
await w.terminate();
