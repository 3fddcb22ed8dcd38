/**
 * The seed tutorial's Delayed example:
 *
 *   def add(x, y): return x + y
 *   delayed_add = dask.delayed(add)(5, 6)
 *   print(delayed_add)             # Delayed('add-6c7530f5-...')
 *   print(delayed_add.compute())   # 11
 *   delayed_add.visualize()
 */
import { delayed } from '@pdask/core';

export default async function main(outDir: string): Promise<void> {
  const add = (x: number, y: number) => x + y;
  const delayedAdd = delayed(add)(5, 6);
  console.log(String(delayedAdd));
  const result = await delayedAdd.compute(); // Trigger computation
  console.log(result);
  const file = `${outDir}/add.svg`;
  const svg = await delayedAdd.visualize({ filename: file });
  console.log(`task graph written to ${file} (${svg.length} bytes of SVG)`);
}
