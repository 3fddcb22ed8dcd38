/**
 * Lowering a plan to graph layers: each node calls the method (or reader) that builds its layer,
 * on its lowered inputs. A node as its method made it lowers to the collection that method built.
 */
import { layerNode, lit, ref, type GraphNode, type LayerNode, type TaskNode, type DataNode, type FusedNode, type Key, MaterializedLayer } from '@pdask/core';
import { DataFrame, headOf } from '../frame';
import { opName, partitionKey } from '../graph';
import { readCsv } from '../io/read-csv';
import { merge } from '../merge';
import { dataframeOps } from '../ops/index';
import type { Scalar } from '../scalar';
import { Series } from '../series';
import { childrenOf, isBlockwise, type Expr, type Lazy, type ParquetFilter } from './nodes';
import { readParquetWithFooters, type Filter, type Filters } from '../io/read-parquet';

/**
 * The reader's own filters and those pushed down, all holding: pushed ones join each branch of
 * filters given as a list of lists (any of which holds).
 */
function withFilters(given: Filters | undefined, pushed: readonly ParquetFilter[]): { filters?: Filters } {
  if (pushed.length === 0) return given === undefined ? {} : { filters: given };
  if (given === undefined) return { filters: [...pushed] };
  const nested = Array.isArray(given[0]) && Array.isArray((given[0] as readonly unknown[])[0]);
  return { filters: nested ? (given as readonly (readonly Filter[])[]).map((b) => [...b, ...pushed]) : [...(given as readonly Filter[]), ...pushed] };
}

/** The first k partitions of a frame (head pushdown into a source). */
function firstPartitions(df: DataFrame, k: number | undefined): DataFrame {
  if (k === undefined || k >= df.npartitions) return df;
  const name = opName('partitions', df.name, k);
  // Selecting every column passes a partition through (the graph's linear fusion joins it to its read).
  const nodes = Array.from({ length: k }, (_, i) => dataframeOps.selectColumns.task(partitionKey(name, i), ref(partitionKey(df.name, i)), lit(df.columns)));
  return new DataFrame(name, k, layerNode(new MaterializedLayer(name, nodes, 'partitions'), [df.layer]), df.divisions ? df.divisions.slice(0, k + 1) : null, df.meta);
}

/**
 * One node per partition running every partition-wise layer between `out` and the layers of
 * `inputs` (a chain, or a diamond such as `df.filter(df.col('x').gt(0))`); `out` as it is when
 * they do not all yield one task per partition.
 */
function fuseLayers<C extends DataFrame | Series>(out: C, inputs: readonly LayerNode[]): C {
  const stop = new Set(inputs);
  const inner: LayerNode[] = [];
  const seen = new Set<LayerNode>();
  const visit = (ln: LayerNode): void => {
    if (seen.has(ln) || stop.has(ln)) return;
    seen.add(ln);
    for (const p of ln.parents) visit(p);
    inner.push(ln);
  };
  visit(out.layer);
  if (inner.length < 2) return out;
  const n = out.npartitions;
  const byPart: (TaskNode | DataNode)[][] = Array.from({ length: n }, () => []);
  for (const ln of inner) {
    const nodes = [...ln.layer.materialize()];
    if (nodes.length !== n) return out;
    for (let i = 0; i < n; i++) {
      const node = nodes[i];
      if (node.kind === 'fused' || node.key !== partitionKey(ln.layer.name, i)) return out;
      byPart[i].push(node);
    }
  }
  const fused: GraphNode[] = byPart.map((members, i): FusedNode => {
    const local = new Set<Key>(members.map((m) => m.key));
    const deps = [...new Set(members.flatMap((m) => m.deps.filter((d) => !local.has(d))))];
    return { kind: 'fused', key: partitionKey(out.name, i), members, deps };
  });
  const parents = [...new Set(inner.flatMap((ln) => ln.parents.filter((p) => stop.has(p))))];
  const layer = layerNode(new MaterializedLayer(out.name, fused, 'fused'), parents);
  return (out instanceof DataFrame ? new DataFrame(out.name, n, layer, out.divisions, out.meta) : new Series(out.name, n, layer, out.divisions, (out as Series).meta)) as C;
}

/** The inputs of the partition-wise region under a fused node. */
function regionInputs(e: Expr): Expr[] {
  const out = new Set<Expr>();
  const seen = new Set<Expr>();
  const go = (x: Expr): void => {
    if (seen.has(x)) return;
    seen.add(x);
    if (isBlockwise(x)) childrenOf(x).forEach(go);
    else out.add(x);
  };
  go(e);
  return [...out];
}

/** The collection of a plan: a frame or series, or a Scalar when the root is a reduction. */
export async function lowerExpr(root: Expr): Promise<Lazy | Scalar<unknown>> {
  return (await lowerExprs([root]))[0];
}

/** The collections of several plans, each shared node lowered once (so its tasks run once). */
export async function lowerExprs(roots: readonly Expr[]): Promise<(Lazy | Scalar<unknown>)[]> {
  const memo = new Map<Expr, Promise<Lazy>>();
  // Only the root may be a Scalar: no node takes one as its input.
  const go = (e: Expr): Promise<Lazy> => {
    let p = memo.get(e);
    if (!p) {
      p = lowerNode(e);
      memo.set(e, p);
    }
    return p;
  };
  const lowerNode = async (e: Expr): Promise<Lazy> => {
    if (e.orig) return e.orig;
    const kids = await Promise.all(childrenOf(e).map(go));
    const frame = (i: number): DataFrame => kids[i] as DataFrame;
    switch (e.kind) {
      case 'read-parquet':
        return firstPartitions(await readParquetWithFooters(e.paths, { ...e.options, columns: e.columns, ...withFilters(e.options.filters, e.filters) }, e.footers), e.limit);
      case 'read-csv':
        return firstPartitions(await readCsv(e.paths, { ...e.options, usecols: e.columns }), e.limit);
      case 'project':
        return frame(0).select(e.columns);
      case 'column':
        return frame(0).col(e.column);
      case 'compare':
        return (kids[0] as Series)[e.op](e.value);
      case 'filter':
        return frame(0).filter(kids[1] as Series);
      case 'head':
        return headOf(kids[0] as DataFrame | Series, e.n, e.partitions, 'head');
      case 'repartition':
        return (kids[0] as DataFrame | Series).repartition({ npartitions: e.npartitions });
      case 'merge': {
        // A side to broadcast becomes one partition: merge() then joins each partition of the other with it.
        const one = (d: DataFrame): DataFrame => (d.npartitions === 1 ? d : d.repartition({ npartitions: 1 }));
        const l = e.strategy === 'broadcast-left' ? one(frame(0)) : frame(0);
        const r = e.strategy === 'broadcast-right' ? one(frame(1)) : frame(1);
        return merge(l, r, e.options, e.method);
      }
      case 'fused': {
        const inputs = await Promise.all(regionInputs(e.child).map(go));
        return fuseLayers(kids[0] as DataFrame | Series, inputs.map((c) => c.layer));
      }
      case 'memory':
        return e.project(e.columns);
      case 'replay':
        return e.build(kids) as Lazy;
      case 'opaque':
        return e.orig;
    }
  };
  return Promise.all(roots.map(go));
}
