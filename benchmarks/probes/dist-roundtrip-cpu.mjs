// CPU time per submit(inc, i) -> result() round trip on a 2-process LocalCluster, in the caller's process (client,
// scheduler, nannies) and in each worker process, from /proc/<pid>/task/*/schedstat (ns, all threads), with
// voluntary context switches (sleeps) per round trip. Linux only. Meaningful under load, unlike wall time.
// node benchmarks/probes/dist-roundtrip-cpu.mjs [timed] [warm] [dist directory of @pdask/distributed, for A/B]
import { cpuNs, startRoundTrips } from './dist-roundtrip-cluster.mjs';
const timed = Number(process.argv[2] ?? 5000), warm = Number(process.argv[3] ?? 3000);
const { cluster, trips, close } = await startRoundTrips({ dist: process.argv[4] });
await trips(warm);
const pids = [process.pid, ...cluster.workerPids];
// Batches of `timed` round trips; the least CPU of a batch is the figure least disturbed by other load.
const batches = Number(process.env.BATCHES ?? 10);
const rows = [];
for (let rep = 0; rep < batches; rep++) {
  const b = pids.map(cpuNs);
  const t = performance.now();
  await trips(timed);
  const wall = ((performance.now() - t) / timed) * 1000;
  const a = pids.map(cpuNs);
  const cpu = pids.map((p, i) => (a[i][0] - b[i][0]) / timed / 1000);
  const cs = pids.map((p, i) => (a[i][1] - b[i][1]) / timed);
  // The busier worker is the one running the tasks.
  const w = cpu[1] >= cpu[2] ? 1 : 2;
  rows.push({ wall, main: cpu[0], worker: cpu[w], sleepsMain: cs[0], sleepsWorker: cs[w] });
}
const stat = (k) => {
  const v = rows.map((r) => r[k]).sort((x, y) => x - y);
  return `${k} min ${v[0].toFixed(1)} median ${v[v.length >> 1].toFixed(1)}`;
};
console.log(`µs per round trip over ${batches} batches of ${timed}: ${['wall', 'main', 'worker'].map(stat).join('; ')}; sleeps per round trip (median) main ${rows.map((r) => r.sleepsMain).sort()[batches >> 1].toFixed(2)} worker ${rows.map((r) => r.sleepsWorker).sort()[batches >> 1].toFixed(2)}`);
await close();
