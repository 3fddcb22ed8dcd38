/**
 * The seed tutorial's Dask DataFrame example:
 *
 *   df = pd.DataFrame({'x': np.random.randint(0, 10, size=10000), 'y': np.random.rand(10000)})
 *   ddf = dd.from_pandas(df, npartitions=4)
 *   result = ddf.groupby('x').y.mean()
 *   print(result.compute())
 *
 * `ddf.groupby('x').y` is spelled `.col('y')` in TypeScript (a property per column cannot be typed).
 */
import * as dd from '@pdask/dataframe';
import { loadKernels } from '@pdask/kernels';

/** 32 state words for the kernels' xoshiro128+ x8 generator, from a seed (splitmix32). */
function seedState(seed: number): Int32Array {
  const state = new Int32Array(32);
  let s = seed >>> 0;
  for (let i = 0; i < state.length; i++) {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    state[i] = (z ^ (z >>> 16)) | 1;
  }
  return state;
}

export default async function main(outDir: string): Promise<void> {
  const n = 10000;
  const k = await loadKernels();
  const state = seedState(2026);
  const u = new Float64Array(n);
  k.fillUniform(state, u, { lo: 0, span: 10 });
  const x = Int32Array.from(u, Math.floor); // np.random.randint(0, 10, size=10000)
  const y = new Float64Array(n);
  k.fillUniform(state, y); // np.random.rand(10000)

  const ddf = dd.fromColumns({ x, y }, { npartitions: 4 });
  const result = ddf.groupby('x').col('y').mean();
  console.log(String(await result.compute()));

  const file = `${outDir}/dataframe-groupby.svg`;
  const svg = await result.visualize({ filename: file });
  console.log(`task graph of ddf.groupby('x').col('y').mean() written to ${file} (${svg.length} bytes of SVG)`);
}
