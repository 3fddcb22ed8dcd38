// matmul of two 4000 x 4000 float64 arrays in 1000 x 1000 chunks: pdask (threads) beside Dask
// (threads, `a @ b`: NumPy's BLAS per block) and NumPy (`a @ b`, OpenBLAS). Array README, Performance.
// Run from the repo root after `npm run build:quiet`: node benchmarks/probes/matmul-4000.mjs [repeats]
import { execFileSync } from 'node:child_process';
import * as da from '@pdask/array';
import { closeThreadPools } from '@pdask/core';

const M = 4000;
const repeats = Number(process.argv[2] ?? 3);
function uniform(n, seed) {
  const x = new Float64Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    x[i] = (s >>> 0) / 4294967296;
  }
  return x;
}
const a = da.fromArray(uniform(M * M, 4), { shape: [M, M], chunks: [1000, 1000] });
const b = da.fromArray(uniform(M * M, 5), { shape: [M, M], chunks: [1000, 1000] });
const times = [];
for (let r = 0; r <= repeats; r++) {
  const t = performance.now();
  const c = await a.matmul(b).compute({ scheduler: 'threads' });
  if (r > 0) times.push(performance.now() - t); // the first run warms up
  if (!(c.get(0, 0) > 900 && c.get(0, 0) < 1100)) throw new Error(`wrong result ${c.get(0, 0)}`);
}
await closeThreadPools();
const median = (xs) => [...xs].sort((p, q) => p - q)[xs.length >> 1];
console.log(`pdask-threads matmul: median ${(median(times) / 1000).toFixed(2)} s of ${times.map((t) => (t / 1000).toFixed(2)).join(', ')}`);
const py = `
import time, numpy as np, dask.array as da
a = np.random.default_rng(3).random((${M}, ${M})); b = np.random.default_rng(4).random((${M}, ${M}))
x = da.from_array(a, chunks=1000); y = da.from_array(b, chunks=1000)
def med(f, n):
    ts = []
    for _ in range(n):
        t = time.perf_counter(); f(); ts.append(time.perf_counter() - t)
    return sorted(ts)[len(ts) // 2], ts
m, ts = med(lambda: (x @ y).compute(scheduler="threads"), ${repeats})
print("dask-threads matmul: median %.2f s of %s" % (m, ", ".join("%.2f" % t for t in ts)))
m, ts = med(lambda: a @ b, ${repeats})
print("numpy a @ b (OpenBLAS): median %.2f s of %s" % (m, ", ".join("%.2f" % t for t in ts)))
`;
process.stdout.write(execFileSync('/usr/bin/python3', ['-c', py], { encoding: 'utf8' }));
