// CPU per call of each caller-side piece of the seed case (graph building, materialising, the
// optimisation passes, ordering), each in a loop of its own after a warm-up: what the caller pays
// before the executor, piece by piece. Process CPU time, so run the builds to compare side by side.
// node benchmarks/probes/seed-graph-parts.mjs [runs]
import * as da from '@pdask/array';
import { IndexedGraph, collectionSymbol, collectionsToGraph, cullIndexed, fuseLinearIndexed, inlineDataIndexed, orderIndexed } from '@pdask/core';
const runs = Number(process.argv[2] ?? 20000);
const x = new Float64Array(10_000).map((_, i) => (i * 7919) % 1000 / 1000), y = x.map((v) => 1 - v);
const build = () => da.fromArray(x, { chunks: 2500 }).add(da.fromArray(y, { chunks: 2500 })).sum();
const bench = (name, f) => {
  for (let i = 0; i < Math.min(5000, runs); i++) f();
  const c = process.cpuUsage();
  for (let i = 0; i < runs; i++) f();
  const d = process.cpuUsage(c);
  console.log(name.padEnd(40), ((d.user + d.system) / runs).toFixed(2).padStart(7), 'µs');
};
const dx = da.fromArray(x, { chunks: 2500 }), dy = da.fromArray(y, { chunks: 2500 });
const s = dx.add(dy).sum();
const g = s[collectionSymbol]();
const full = IndexedGraph.fromLayers(g.roots);
const inlined = inlineDataIndexed(full, full.idsOf(g.keys));
const { graph } = collectionsToGraph([g]);
bench('build: fromArray x2, add, sum', build);
bench('  fromArray (same data again)', () => da.fromArray(x, { chunks: 2500 }));
bench('  add', () => dx.add(dy));
const a = dx.add(dy);
bench('  sum', () => a.sum());
bench('collectionsToGraph', () => collectionsToGraph([s[collectionSymbol]()]));
// As a compute sees it: fresh arrays each time (a graph materialised once per array object).
bench('build, then collectionsToGraph', () => collectionsToGraph([build()[collectionSymbol]()]));
bench('  IndexedGraph.fromLayers', () => IndexedGraph.fromLayers(g.roots));
bench('    materialise one fromArray layer', () => [...g.roots[0].parents[0].layer.materialize()]);
bench('    materialise the sum layer', () => [...g.roots[0].layer.materialize()]);
bench('  cull', () => cullIndexed(full, full.idsOf(g.keys)));
bench('  inline data', () => inlineDataIndexed(full, full.idsOf(g.keys)));
bench('  fuse (on a fresh graph)', () => { const f = IndexedGraph.fromNodes(inlined.nodes); return fuseLinearIndexed(f, f.idsOf(g.keys)); });
bench('orderIndexed', () => orderIndexed(graph));
