// CPU ms (minimum over runs) of the phases of the core-tree workloads' sync compute() (199,999 tiny delayed
// tasks): graph (materialise, cull, inline/fuse), order, a SchedulerState's updateGraph alone, and the
// SyncExecutor's execute (its own updateGraph and the run loop). CORE=path/to/dist/index.js runs
// another build of @pdask/core, for A/B runs: node benchmarks/probes/tiny-tree-phases.mjs [runs]
const { delayed, collectionSymbol, collectionsToGraph, orderIndexed, SchedulerState, OneAtATimePolicy, SyncExecutor } = await import(process.env.CORE ?? '@pdask/core');
const LEAVES = 100_000;
function tree(leaves) {
  const inc = (i) => i + 1; const add = (a, b) => a + b;
  let level = []; for (let i = 0; i < leaves; i++) level.push(delayed(inc)(i));
  while (level.length > 1) { const next = []; for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? delayed(add)(level[i], level[i + 1]) : level[i]); level = next; }
  return level[0];
}
const root = tree(LEAVES);
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const rows = { graph: [], order: [], update: [], exec: [] };
for (let r = 0; r < Number(process.argv[2] ?? 8); r++) {
  let t = cpu();
  const g = root[collectionSymbol]();
  const { graph, keys } = collectionsToGraph([g], {});
  rows.graph.push(cpu() - t); t = cpu();
  const priority = orderIndexed(graph);
  rows.order.push(cpu() - t); t = cpu();
  const st = new SchedulerState({ policy: new OneAtATimePolicy(), story: false });
  st.addWorker('w', 1);
  st.updateGraph({ nodes: graph.nodes, adjacency: graph, positionOf: (k) => graph.index.get(k), wanted: keys, priority: (_k, i) => priority[i] });
  rows.update.push(cpu() - t); t = cpu();
  await new SyncExecutor().execute({ graph, targets: keys, priority });
  rows.exec.push(cpu() - t);
}
const min = (a) => Math.min(...a).toFixed(0);
console.log(process.env.LABEL ?? '', Object.entries(rows).map(([k, v]) => `${k} ${min(v)}`).join(' | '));
