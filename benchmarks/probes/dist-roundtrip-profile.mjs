// CPU profiles of a submit(inc, i) -> result() round trip: the caller's process (run this under
// `node --cpu-prof --cpu-prof-dir DIR`) and each worker (through the preload dist-roundtrip-profile.cjs, started
// after the warm-up and stopped after the timed round trips, written to $PROFILE_DIR).
// PROFILE_DIR=/tmp/prof node --cpu-prof --cpu-prof-dir /tmp/prof benchmarks/probes/dist-roundtrip-profile.mjs [timed] [warm]
// [dist directory of @pdask/distributed, for A/B]
import { fileURLToPath } from 'node:url';
import { startRoundTrips } from './dist-roundtrip-cluster.mjs';
const timed = Number(process.argv[2] ?? 10000), warm = Number(process.argv[3] ?? 3000);
const preload = fileURLToPath(new URL('./dist-roundtrip-profile.cjs', import.meta.url));
const env = { ...process.env, NODE_OPTIONS: `--require ${preload}` };
const { cluster, trips, close } = await startRoundTrips({ dist: process.argv[4], env });
await trips(warm);
for (const p of cluster.workerPids) process.kill(p, 'SIGUSR2');
await new Promise((r) => setTimeout(r, 200));
const t = performance.now();
await trips(timed);
console.log(`${(((performance.now() - t) / timed) * 1000).toFixed(1)} µs per round trip while profiled`);
for (const p of cluster.workerPids) process.kill(p, 'SIGUSR2');
await new Promise((r) => setTimeout(r, 1000));
await close();
