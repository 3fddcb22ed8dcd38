// submit(inc, i) -> result() round trips on a 2-process LocalCluster (dist-roundtrip), for --cpu-prof and A/B timing.
// node benchmarks/probes/dist-roundtrip.mjs [timed] [warm]
// Per-hop timeline: node -r ./benchmarks/probes/ws-timeline.cjs benchmarks/probes/dist-roundtrip.mjs, then
// node benchmarks/probes/ws-timeline-merge.mjs (the workers get the same preload).
import { fileURLToPath } from 'node:url';
import { startRoundTrips } from './dist-roundtrip-cluster.mjs';
const timed = Number(process.argv[2] ?? 2000), warm = Number(process.argv[3] ?? 2000);
const mark = globalThis.__wsrec ?? (() => undefined);
const preload = fileURLToPath(new URL('./ws-timeline.cjs', import.meta.url));
const env = globalThis.__wsrec ? { ...process.env, NODE_OPTIONS: `--require ${preload}` } : undefined;
const { trips, close } = await startRoundTrips({ env, mark });
await trips(warm);
const out = [];
for (let r = 0; r < 5; r++) {
  const t = performance.now();
  await trips(timed / 5);
  out.push(((performance.now() - t) / (timed / 5)) * 1000);
}
out.sort((a, b) => a - b);
console.log('round trip µs, sorted:', out.map((t) => t.toFixed(0)).join(' '));
await close();
