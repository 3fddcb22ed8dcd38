// The caller's CPU (Linux schedstat) per postMessage to a worker of the seed's 8 x 20 KB blocks: copied
// into a fresh SharedArrayBuffer, into a reused one, or cloned; and a tiny message. node benchmarks/probes/post-cpu.mjs
import { Worker } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
const w = new Worker(`const { parentPort } = require('node:worker_threads'); let n=0; parentPort.on('message', (m) => { if (++n % 100 === 0) parentPort.postMessage(n); });`, { eval: true });
const mainNs = () => Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]);
const blocks = Array.from({ length: 8 }, () => new Float64Array(2500).fill(1));
const reused = new SharedArrayBuffer(160000);
const cases = {
  tiny: () => [1, [0, 1, 2], 3],
  sabFreshCopy: () => { const s = new SharedArrayBuffer(160000); return blocks.map((b, i) => { const v = new Float64Array(s, i * 20000, 2500); v.set(b); return v; }); },
  sabReusedCopy: () => blocks.map((b, i) => { const v = new Float64Array(reused, i * 20000, 2500); v.set(b); return v; }),
  clone: () => blocks,
};
const onlyAlloc = { sabFreshAllocCopyNoPost: cases.sabFreshCopy };
for (let rep = 0; rep < 3; rep++) {
  for (const [name, make] of Object.entries(cases)) {
    const n = 3000; const c0 = mainNs();
    for (let i = 0; i < n; i++) { w.postMessage(make()); if (i % 100 === 99) await new Promise((r) => w.once('message', r)); }
    console.log(name.padEnd(24), ((mainNs() - c0) / n / 1000).toFixed(1), 'µs main CPU per message (make + post)');
  }
  for (const [name, make] of Object.entries(onlyAlloc)) {
    const n = 3000; const c0 = mainNs(); let keep;
    for (let i = 0; i < n; i++) keep = make();
    console.log(name.padEnd(24), ((mainNs() - c0) / n / 1000).toFixed(1), 'µs main CPU');
  }
}
await w.terminate();
