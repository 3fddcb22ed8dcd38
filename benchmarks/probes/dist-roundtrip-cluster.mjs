// The set-up shared by the dist-roundtrip probes: a 2-process LocalCluster (1 thread per worker), a
// client connected to it, and the loop of submit(inc, i) -> result() round trips that
// `--only dist-roundtrip` times. `dist`: a built @pdask/distributed directory to load instead of the
// package (for A/B of two builds); `env`: the environment of the cluster's processes (a preload in
// NODE_OPTIONS); `mark`: called around each round trip (per-hop timelines).
import { readdirSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export async function startRoundTrips({ dist, env, mark = () => undefined } = {}) {
  const { Client, LocalCluster } = await import(dist ? pathToFileURL(`${dist}/index.js`).href : '@pdask/distributed');
  const cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 1, processes: true, ...(env ? { env } : {}) });
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
  async function close() {
    await client.close();
    await cluster.close();
  }
  return { cluster, client, trips, close };
}

/** CPU time (ns, all threads) and voluntary context switches of a process so far, from /proc (Linux only). */
export function cpuNs(pid) {
  let ns = 0, vol = 0;
  for (const t of readdirSync(`/proc/${pid}/task`)) {
    ns += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]);
    const st = readFileSync(`/proc/${pid}/task/${t}/status`, 'utf8');
    vol += Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(st)[1]);
  }
  return [ns, vol];
}
