/**
 * The seed tutorial's random-walk Bag example, with its task graph:
 *
 *   def random_walk(n):
 *       x = 0
 *       for _ in range(n):
 *           x += random.choice([-1, 1])
 *       return x
 *   b = db.from_sequence(range(1000), npartitions=4)
 *   result = b.map(random_walk).mean()
 *   result.visualize()
 *   print(result.compute())        # e.g. -1.5 (random)
 */
import * as db from '@pdask/bag';

// Self-contained (only globals such as Math), so it can be shipped to worker threads.
function randomWalk(n: number): number {
  let x = 0;
  for (let i = 0; i < n; i++) x += [-1, 1][Math.floor(Math.random() * 2)];
  return x;
}

export default async function main(outDir: string): Promise<void> {
  const range = Array.from({ length: 1000 }, (_, i) => i);
  const b = db.fromSequence(range, { npartitions: 4 });
  const result = b.map(randomWalk).mean();
  const file = `${outDir}/random-walk.svg`;
  const svg = await result.visualize({ filename: file });
  console.log(`task graph written to ${file} (${svg.length} bytes of SVG)`);
  console.log(await result.compute());
}
