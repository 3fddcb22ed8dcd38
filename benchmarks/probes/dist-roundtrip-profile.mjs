// CPU profiles of a submit(inc, i) -> result() round trip: the caller's process (run this under
// `node --cpu-prof --cpu-prof-dir DIR`) and each worker (through the preload dist-roundtrip-profile.cjs, started
// after the warm-up and stopped after the timed round trips, written to $PROFILE_DIR).
// PROFILE_DIR=/tmp/prof node --cpu-prof --cpu-prof-dir /tmp/prof benchmarks/probes/dist-roundtrip-profile.mjs [timed] [warm]
import { fileURLToPath } from 'node:url';
const { Client, LocalCluster } = await import('@pdask/distributed');
const timed = Number(process.argv[2] ?? 10000), warm = Number(process.argv[3] ?? 3000);
const preload = fileURLToPath(new URL('./dist-roundtrip-profile.cjs', import.meta.url));
const cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 1, processes: true, env: { ...process.env, NODE_OPTIONS: `--require ${preload}` } });
const client = await Client.connect(cluster);
const inc = (x) => x + 1;
async function trips(n) {
  for (let i = 0; i < n; i++) {
    const f = client.submitWith({ pure: false }, inc, i);
    if ((await f.result()) !== i + 1) throw new Error('wrong result');
    f.release();
  }
}
await trips(warm);
for (const p of cluster.workerPids) process.kill(p, 'SIGUSR2');
await new Promise((r) => setTimeout(r, 200));
const t = performance.now();
await trips(timed);
console.log(`${(((performance.now() - t) / timed) * 1000).toFixed(1)} µs per round trip while profiled`);
for (const p of cluster.workerPids) process.kill(p, 'SIGUSR2');
await new Promise((r) => setTimeout(r, 1000));
await client.close();
await cluster.close();
