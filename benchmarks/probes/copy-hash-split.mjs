// A lead not built (session 15): the 120 MB copy-in of the 1e7 group-by with the hash off the main
// thread. The main thread copies the 4 partitions into a fresh SharedArrayBuffer and says after
// each how many are copied; a helper thread with its own kernels hashes each partition once it is
// copied (XXH64 of the same bytes: the same digits). Against the fused copy+hash of
// creation-buffers.ts, alternated; medians of wall time and the main thread's CPU time (Linux).
// Usage: node benchmarks/probes/copy-hash-split.mjs [reps=7]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
const kernelsPath = fileURLToPath(new URL('../../packages/kernels/dist/index.js', import.meta.url));
const { loadKernelsSync } = await import(kernelsPath);
const k = loadKernelsSync();
const REPS = Number(process.argv[2] ?? 7);
const N = 1e7, P = 4;
const x = new Int32Array(N).map((_, i) => i % 10);
const y = new Float64Array(N).map((_, i) => (i * 0.618) % 1);
const rows = N / P, block = rows * 12; // a partition: its x then its y, both 8-aligned
const total = block * P;
const med = (a) => [...a].sort((p, q) => p - q)[a.length >> 1];
const threadNs = () => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
const helper = new Worker(
  `const { parentPort } = require('node:worker_threads');
   let k;
   parentPort.on('message', async ({ buffer, ctrl, parts, block }) => {
     k ??= (await import(${JSON.stringify(kernelsPath)})).loadKernelsSync();
     if (buffer === undefined) return parentPort.postMessage('ready');
     const c = new Int32Array(ctrl);
     const out = [];
     for (let i = 0; i < parts; i++) {
       while (Atomics.load(c, 0) <= i) Atomics.wait(c, 0, i);
       out.push(k.hash64(new Uint8Array(buffer, i * block, block)));
     }
     parentPort.postMessage(out);
   });`,
  { eval: true },
);
await new Promise((res) => (helper.once('message', res), helper.postMessage({})));
const piecesOf = (s, i) => [
  { from: x.subarray(i * rows, (i + 1) * rows), to: new Uint8Array(s, i * block, rows * 4) },
  { from: y.subarray(i * rows, (i + 1) * rows), to: new Uint8Array(s, i * block + rows * 4, rows * 8) },
];
const ways = {
  fused: async () => {
    const s = new SharedArrayBuffer(total);
    return Array.from({ length: P }, (_, i) => k.hash64Pieces(piecesOf(s, i)));
  },
  'copy here, hash there': async () => {
    const s = new SharedArrayBuffer(total);
    const ctrl = new Int32Array(new SharedArrayBuffer(4));
    const got = new Promise((res) => helper.once('message', res));
    helper.postMessage({ buffer: s, ctrl: ctrl.buffer, parts: P, block });
    for (let i = 0; i < P; i++) {
      for (const { from, to } of piecesOf(s, i)) to.set(new Uint8Array(from.buffer, from.byteOffset, from.byteLength));
      Atomics.store(ctrl, 0, i + 1);
      Atomics.notify(ctrl, 0);
    }
    return got;
  },
};
const wall = {}, cpu = {};
let want;
for (let r = 0; r <= REPS; r++) {
  for (const [name, f] of Object.entries(ways)) {
    const c = threadNs();
    const t = performance.now();
    const h = (await f()).join();
    const dt = performance.now() - t;
    const dc = (threadNs() - c) / 1e6;
    if (want !== undefined && h !== want) throw new Error(`hashes differ: ${h} vs ${want}`);
    want = h;
    if (r > 0) ((wall[name] ??= []).push(dt), (cpu[name] ??= []).push(dc));
  }
}
await helper.terminate();
for (const name of Object.keys(ways)) console.log(`${name}: wall ${med(wall[name]).toFixed(1)} ms, main-thread cpu ${med(cpu[name]).toFixed(1)} ms (medians of ${REPS})`);
