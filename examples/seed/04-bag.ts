/**
 * The seed tutorial's Dask Bag example:
 *
 *   b = db.from_sequence(range(10000), npartitions=4)
 *   result = b.map(lambda x: x**2).filter(lambda x: x % 2 == 0).sum()
 *   print(result.compute())        # 166616670000
 */
import * as db from '@pdask/bag';

export default async function main(_outDir: string): Promise<void> {
  const range = Array.from({ length: 10000 }, (_, i) => i);
  const b = db.fromSequence(range, { npartitions: 4 });
  const result = b
    .map((x) => x ** 2)
    .filter((x) => x % 2 === 0)
    .sum();
  console.log(await result.compute());
}
