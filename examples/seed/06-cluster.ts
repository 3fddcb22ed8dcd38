/**
 * The seed tutorial's cluster example, on one machine:
 *
 *   client = Client(scheduler_file='scheduler.json')
 *   x = da.random.random((10000, 10000), chunks=(1000, 1000))
 *   result = x.mean().compute()
 *   print("Mean of the array:", result)
 *
 * Here a LocalCluster (a scheduler in this process, 2 worker processes) stands in for the SLURM
 * job; examples/slurm/ holds the real job script and client program.
 */
import * as da from '@pdask/array';
import { Client, LocalCluster } from '@pdask/distributed';

export default async function main(_outDir: string): Promise<void> {
  const cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 1 });
  const client = await Client.connect(cluster);
  try {
    console.log(String(client));
    // While the client is open it is the default scheduler: compute() runs on the cluster.
    const x = da.random.random([10000, 10000], { chunks: [1000, 1000] });
    const result = await x.mean().compute();
    console.log('Mean of the array:', result);
  } finally {
    await client.close();
    await cluster.close();
  }
}
