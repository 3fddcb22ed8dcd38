/**
 * The seed tutorial's cluster example, on one machine:
 *
 *   client = Client(scheduler_file='scheduler.json')
 *   x = da.random.random((10000, 10000), chunks=(1000, 1000))
 *   result = x.mean().compute()
 *   print("Mean of the array:", result)
 *
 * Here a LocalCluster (a scheduler in this process, 2 worker processes) stands in for the SLURM
 * job; examples/slurm/ holds the real job script and client program. Its dashboard runs while the
 * example does (its address is printed).
 */
import * as da from '@pdask/array';
import { Client, LocalCluster } from '@pdask/distributed';

/** The cluster with its dashboard on Dask's port 8787, or on a free port when 8787 is taken (as Dask does). */
async function startCluster(): Promise<LocalCluster> {
  const opts = { nWorkers: 2, threadsPerWorker: 1 };
  try {
    return await LocalCluster.start({ ...opts, dashboardAddress: '127.0.0.1:8787' });
  } catch (e) {
    if (!/is in use/.test((e as Error).message)) throw e;
    return await LocalCluster.start({ ...opts, dashboardAddress: '127.0.0.1:0' });
  }
}

export default async function main(_outDir: string): Promise<void> {
  const cluster = await startCluster();
  const client = await Client.connect(cluster);
  try {
    console.log(String(client));
    // Dask's scheduler logs "dashboard at: ..." on start-up; open it to watch the mean being computed.
    console.log(`Dashboard at: ${cluster.dashboardLink}`);
    // While the client is open it is the default scheduler: compute() runs on the cluster.
    const x = da.random.random([10000, 10000], { chunks: [1000, 1000] });
    const result = await x.mean().compute();
    console.log('Mean of the array:', result);
  } finally {
    await client.close();
    await cluster.close();
  }
}
