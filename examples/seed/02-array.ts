/**
 * The seed tutorial's Dask Array examples:
 *
 *   x = np.random.rand(10000); y = np.random.rand(10000)
 *   dx = da.from_array(x, chunks=len(x)//4); dy = da.from_array(y, chunks=len(y)//4)
 *   result = (dx + dy).sum()
 *   print(result.compute())                         # 9992.16562410717
 *
 *   x = da.random.random((10000, 10000), chunks=(1000, 1000))
 *   print("Mean of the array:", x.mean().compute())  # (the cluster example; here on local threads)
 */
import * as da from '@pdask/array';

export default async function main(outDir: string): Promise<void> {
  const x = new Float64Array(10000).map(() => Math.random());
  const y = new Float64Array(10000).map(() => Math.random());
  const dx = da.fromArray(x, { chunks: x.length / 4 });
  const dy = da.fromArray(y, { chunks: y.length / 4 });
  const result = dx.add(dy).sum();
  console.log(await result.compute());

  const r = da.random.random([10000, 10000], { chunks: [1000, 1000] });
  console.log('Mean of the array:', await r.mean().compute());

  const file = `${outDir}/array-sum.svg`;
  const svg = await result.visualize({ filename: file });
  console.log(`task graph of (dx + dy).sum() written to ${file} (${svg.length} bytes of SVG)`);
}
