/**
 * `npm run demo`: every example of the seed tutorial (../shared/seed/dask-multinode-tutorial.txt),
 * in TypeScript, end to end. Examples whose package is not built yet are listed, not faked.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { closeThreadPools } from '@pdask/core';

const here = fileURLToPath(new URL('.', import.meta.url));
const outDir = `${here}out`;
mkdirSync(outDir, { recursive: true });

const examples: { file: string; title: string; pending: string }[] = [
  { file: '01-delayed', title: 'Delayed: lazy evaluation and visualisation', pending: '' },
  { file: '02-array', title: 'Dask Array: (dx + dy).sum()', pending: '@pdask/array (issue 4)' },
  { file: '03-dataframe', title: 'Dask DataFrame: groupby mean', pending: '@pdask/dataframe' },
  { file: '04-bag', title: 'Dask Bag: map/filter/sum', pending: '@pdask/bag (issue 5)' },
  { file: '05-random-walk', title: 'Bag random walk mean, with its graph', pending: '@pdask/bag (issue 5)' },
  { file: '06-cluster', title: 'Client(scheduler_file=...) on a cluster: random array mean', pending: '@pdask/distributed (issue 6)' },
];

let failed = 0;
for (const ex of examples) {
  const path = `${here}seed/${ex.file}.ts`;
  console.log(`\n=== ${ex.title}`);
  if (!existsSync(path)) {
    console.log(`(not yet: needs ${ex.pending})`);
    continue;
  }
  try {
    const mod = (await import(path)) as { default: (outDir: string) => Promise<void> };
    await mod.default(outDir);
  } catch (e) {
    failed++;
    console.error(`example ${ex.file} failed:`, e);
  }
}
await closeThreadPools();
if (failed) process.exit(1);
