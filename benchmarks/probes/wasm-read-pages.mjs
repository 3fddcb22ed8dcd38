// The kernels' float64 sum on one and on two threads, over WebAssembly memory on 4 KiB pages and
// then on transparent huge pages (kernels and array READMEs: what bounds the 1e8 sums).
// Node cannot ask for huge pages (NumPy madvises them for large arrays); for the measurement the
// helper wasm-read-pages.py collapses this process's large mappings with process_madvise(
// MADV_COLLAPSE) (Linux >= 6.1, root). Build @pdask/kernels first. Usage:
//   node benchmarks/probes/wasm-read-pages.mjs [elements=100000000] [repeats=20]
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createSharedMemory, loadKernelsSync } from '@pdask/kernels';

if (isMainThread) {
  const n = Number(process.argv[2] ?? 100_000_000);
  const reps = Number(process.argv[3] ?? 20);
  const memory = createSharedMemory();
  const k = loadKernelsSync({ memory });
  const x = k.alloc(Float64Array, n);
  const a = x.array;
  let s = 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    a[i] = (s >>> 0) / 4294967296;
  }
  const half = n >> 1;
  const ws = [0, 1].map((w) => new Worker(new URL(import.meta.url), { workerData: { memory, view: a.subarray(w * half, w ? n : half) } }));
  const ask = (w) => new Promise((r) => { w.once('message', r); w.postMessage(0); });
  const time = async (f) => {
    await f();
    const t = [];
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      await f();
      t.push(performance.now() - t0);
    }
    t.sort((p, q) => p - q);
    return `min ${t[0].toFixed(1)} ms (${((n * 8e-6) / t[0]).toFixed(1)} GB/s), median ${t[reps >> 1].toFixed(1)} ms`;
  };
  const report = async (label) => {
    console.log(`${label}, one thread : ${await time(async () => k.sum(x))}`);
    console.log(`${label}, two threads: ${await time(() => Promise.all(ws.map(ask)))}`);
  };
  await report('4 KiB pages');
  const helper = fileURLToPath(new URL('./wasm-read-pages.py', import.meta.url));
  console.log(execFileSync('/usr/bin/python3', [helper, String(process.pid)], { encoding: 'utf8' }).trim());
  await report('huge pages ');
  await Promise.all(ws.map((w) => w.terminate()));
} else {
  const k = loadKernelsSync({ memory: workerData.memory });
  parentPort.on('message', () => parentPort.postMessage(k.sum(workerData.view)));
}
