// submit(inc, i) -> result() round trips on a 2-process LocalCluster (dist-roundtrip), for --cpu-prof and A/B timing.
// node benchmarks/probes/dist-roundtrip.mjs [timed] [warm]
// Per-hop timeline: node -r ./benchmarks/probes/ws-timeline.cjs benchmarks/probes/dist-roundtrip.mjs, then
// node benchmarks/probes/ws-timeline-merge.mjs (the workers get the same preload).
import { Client, LocalCluster } from '@pdask/distributed';
import { fileURLToPath } from 'node:url';
const timed = Number(process.argv[2] ?? 2000), warm = Number(process.argv[3] ?? 2000);
const mark = globalThis.__wsrec ?? (() => undefined);
const preload = fileURLToPath(new URL('./ws-timeline.cjs', import.meta.url));
const env = globalThis.__wsrec ? { env: { ...process.env, NODE_OPTIONS: `--require ${preload}` } } : {};
const cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 1, processes: true, ...env });
const client = await Client.connect(cluster);
const inc = (x) => x + 1;
async function trips(n) {
  for (let i = 0; i < n; i++) {
    mark('submit');
    const f = client.submitWith({ pure: false }, inc, i);
    if ((await f.result()) !== i + 1) throw new Error('wrong result');
    mark('result');
    f.release();
  }
}
await trips(warm);
const out = [];
for (let r = 0; r < 5; r++) {
  const t = performance.now();
  await trips(timed / 5);
  out.push(((performance.now() - t) / (timed / 5)) * 1000);
}
out.sort((a, b) => a - b);
console.log('round trip µs, sorted:', out.map((t) => t.toFixed(0)).join(' '));
await client.close();
await cluster.close();
