// The core-tree workloads' compute() (199,999 tiny delayed tasks) in a loop, with the time split
// into phases through the same steps compute() takes (for --cpu-prof and A/B timing).
// node benchmarks/probes/tiny-tree.mjs [sync|threads] [runs]
import { closeThreadPools, collectionSymbol, cullIndexed, delayed, IndexedGraph, orderIndexed } from '@pdask/core';

const scheduler = process.argv[2] ?? 'sync';
const runs = Number(process.argv[3] ?? 5);
const LEAVES = 100_000;

// As benchmarks/src/workloads/trees.ts builds it.
function tree(leaves) {
  const inc = (i) => i + 1;
  const add = (a, b) => a + b;
  let level = [];
  for (let i = 0; i < leaves; i++) level.push(delayed(inc)(i));
  while (level.length > 1) {
    const next = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? delayed(add)(level[i], level[i + 1]) : level[i]);
    level = next;
  }
  return level[0];
}

const ms = (t) => (performance.now() - t).toFixed(0);
const rows = [];
for (let r = 0; r < runs; r++) {
  let t = performance.now();
  const root = tree(LEAVES);
  const build = ms(t);
  // The phases compute() runs before executing, timed apart (on a separate tree, so the full compute below stays cold-free).
  t = performance.now();
  const g = root[collectionSymbol]();
  const full = IndexedGraph.fromLayers(g.roots);
  const link = ms(t);
  t = performance.now();
  const culled = cullIndexed(full, full.idsOf(g.keys));
  const cull = ms(t);
  t = performance.now();
  orderIndexed(culled);
  const order = ms(t);
  const root2 = tree(LEAVES);
  const cpu0 = process.cpuUsage();
  t = performance.now();
  const v = await root2.compute({ scheduler });
  const total = ms(t);
  const cpu = process.cpuUsage(cpu0);
  if (v !== (LEAVES * (LEAVES + 1)) / 2) throw new Error(`wrong result ${v}`);
  rows.push({ build, link, cull, order, compute: total, cpuMs: ((cpu.user + cpu.system) / 1000).toFixed(0) });
}
console.table(rows);
if (scheduler === 'threads') await closeThreadPools();
