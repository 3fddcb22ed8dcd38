import { closeThreadPools, delayed, type Delayed } from '@pdask/core';
import type { Workload } from '../harness.js';
import { treeReduction, treeSum } from './trees.js';

const LEAVES = 100_000;
const TASKS = 2 * LEAVES - 1;

const expected = treeSum(LEAVES);

function check(v: unknown): void {
  if (v !== expected) throw new Error(`wrong result ${String(v)}, expected ${expected}`);
}

function chain(n: number): Delayed<number> {
  const inc = (x: number) => x + 1;
  let d = delayed(inc)(0);
  for (let i = 1; i < n; i++) d = delayed(inc)(d);
  return d;
}

const daskTree = (system: string, run: string) => ({ system, file: 'core_delayed.py', setup: 'setup_tree', run, requires: ['dask'], repeat: 3, warmup: 0 });

export const coreWorkloads: Workload[] = [
  {
    id: 'core-tree-sync',
    group: 'core',
    description: `compute() of a ${LEAVES.toLocaleString('en')}-leaf delayed tree reduction of tiny tasks (${TASKS.toLocaleString('en')} tasks), single-threaded schedulers. Graph building is not timed.`,
    items: { count: TASKS, unit: 'tasks' },
    reference: 'dask-sync',
    repeat: 5,
    js: [{ system: 'pdask-sync', setup: () => treeReduction(LEAVES), run: async (root: Delayed<number>) => check(await root.compute({ scheduler: 'sync' })) }],
    python: [daskTree('dask-sync', 'run_tree_sync')],
    targets: [{ system: 'pdask-sync', vs: 'dask-sync', atLeast: 30 }],
  },
  {
    id: 'core-tree-threads',
    group: 'core',
    description: `The same tree on the thread-pool schedulers (pdask: 2 worker threads; Dask: its thread pool).`,
    items: { count: TASKS, unit: 'tasks' },
    reference: 'dask-threads',
    repeat: 5,
    js: [
      {
        system: 'pdask-threads',
        setup: () => treeReduction(LEAVES),
        run: async (root: Delayed<number>) => check(await root.compute({ scheduler: 'threads' })),
        teardown: () => closeThreadPools(),
      },
    ],
    python: [daskTree('dask-threads', 'run_tree_threads')],
    targets: [{ system: 'pdask-threads', vs: 'dask-threads', atLeast: 30 }],
  },
  {
    id: 'core-chain-build',
    group: 'core',
    description: 'Building (not computing) a 10,000-task delayed chain d = delayed(inc)(d).',
    items: { count: 10_000, unit: 'tasks' },
    reference: 'dask',
    repeat: 5,
    js: [{ system: 'pdask', run: () => chain(10_000) }],
    python: [{ system: 'dask', file: 'core_delayed.py', run: 'run_chain_build', requires: ['dask'], repeat: 3, warmup: 0 }],
    targets: [{ system: 'pdask', vs: 'dask', atLeast: 100 }],
  },
];
