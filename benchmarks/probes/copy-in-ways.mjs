// fromColumns' first-call copy-in of 120 MB (the 1e7 group-by's two columns) into a fresh
// SharedArrayBuffer with its XXH64, three ways, alternated: copy then hash the copy (session 14's
// way: two reads of the data), the fused pass of Kernels.hash64Pieces (one read), and the fused
// pass while a helper thread faults the fresh pages in from the end (an atomic add of zero a page:
// a write that keeps what the main thread wrote). Medians of wall time and of the MAIN thread's
// on-CPU time (/proc/thread-self/schedstat, Linux): on a loaded machine the wall time is mostly
// waiting for a core. (Session 15: with both cores free the helper made the main thread SLOWER,
// so fromColumns does not use it; README.)
// Usage: node benchmarks/probes/copy-in-ways.mjs [reps=9]
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
const { loadKernelsSync } = await import('../../packages/kernels/dist/index.js');
import { Worker } from 'node:worker_threads';
const k = loadKernelsSync();
const REPS = Number(process.argv[2] ?? 9);
const N = 1e7;
const x = new Int32Array(N).map((_, i) => i % 10);
const y = new Float64Array(N).map((_, i) => (i * 0.618) % 1);
const total = x.byteLength + y.byteLength;
const med = (a) => [...a].sort((p, q) => p - q)[a.length >> 1];
const threadNs = () => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
const helper = new Worker(
  `const { parentPort } = require('node:worker_threads');
   parentPort.on('message', (buffer) => {
     const words = new Int32Array(buffer, 0, buffer.byteLength >> 2);
     for (let i = (words.length - 1) & ~1023; i >= 0; i -= 1024) Atomics.add(words, i, 0);
     parentPort.postMessage(0);
   });`,
  { eval: true },
);
const prefaultShared = (s) => new Promise((res) => (helper.once('message', res), helper.postMessage(s)));
const fused = (s) => k.hash64Pieces([{ from: x, to: new Uint8Array(s, 0, x.byteLength) }, { from: y, to: new Uint8Array(s, x.byteLength, y.byteLength) }]);
const ways = {
  'copy, then hash': () => {
    const b = new Uint8Array(new SharedArrayBuffer(total));
    b.set(new Uint8Array(x.buffer), 0);
    b.set(new Uint8Array(y.buffer), x.byteLength);
    return k.hash64(b);
  },
  'fused': () => fused(new SharedArrayBuffer(total)),
  'fused + prefault': () => {
    const s = new SharedArrayBuffer(total);
    void prefaultShared(s);
    return fused(s);
  },
};
const wall = {}, cpu = {};
let h;
await prefaultShared(new SharedArrayBuffer(8)); // the helper thread started
for (let r = 0; r <= REPS; r++) {
  for (const [name, f] of Object.entries(ways)) {
    const c = threadNs();
    const t = performance.now();
    const got = f();
    const dt = performance.now() - t;
    const dc = (threadNs() - c) / 1e6;
    if (h !== undefined && got !== h) throw new Error(`hashes differ: ${got} vs ${h}`);
    h = got;
    if (r > 0) ((wall[name] ??= []).push(dt), (cpu[name] ??= []).push(dc));
    await new Promise((res) => setTimeout(res, 50)); // the helper done before the next way
  }
}
await helper.terminate();
for (const name of Object.keys(ways)) console.log(`${name}: wall ${med(wall[name]).toFixed(1)} ms, main-thread cpu ${med(cpu[name]).toFixed(1)} ms (medians of ${REPS})`);
