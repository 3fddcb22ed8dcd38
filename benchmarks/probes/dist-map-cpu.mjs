// CPU time of client.map(inc, range(n)) then gather on a 2-process LocalCluster (dist-map-gather's
// work), in the caller's process (client, scheduler, nannies) and in both workers together, from
// /proc: meaningful under load, unlike wall time. Linux only.
// node benchmarks/probes/dist-map-cpu.mjs [n] [runs] [dist directory of @pdask/distributed, for A/B]
import { cpuNs, startRoundTrips } from './dist-roundtrip-cluster.mjs';
const n = Number(process.argv[2] ?? 100_000), runs = Number(process.argv[3] ?? 3);
const { cluster, client, close } = await startRoundTrips({ dist: process.argv[4] });
const inc = (x) => x + 1;
const items = Array.from({ length: n }, (_, i) => i);
for (let r = 0; r <= runs; r++) {
  const pids = [process.pid, ...cluster.workerPids];
  const b = pids.map((p) => cpuNs(p)[0]);
  const t = performance.now();
  const futures = client.map(inc, items, { pure: false });
  const values = await client.gather(futures);
  const wall = performance.now() - t;
  let sum = 0;
  for (const v of values) sum += v;
  if (sum !== (n * (n + 1)) / 2) throw new Error(`wrong sum ${sum}`);
  for (const f of futures) f.release();
  const cpu = pids.map((p, i) => (cpuNs(p)[0] - b[i]) / 1e6);
  // The first map warms the path up: not reported.
  if (r > 0) console.log(`map of ${n}: wall ${wall.toFixed(0)} ms; CPU caller ${cpu[0].toFixed(0)} ms, workers ${(cpu[1] + cpu[2]).toFixed(0)} ms`);
  await new Promise((res) => setTimeout(res, 200));
}
await close();
