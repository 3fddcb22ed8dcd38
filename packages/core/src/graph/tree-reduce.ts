/**
 * The one tree reduction of pdask (Dask's `reduction`/`aca`/`partial_reduce`): a `partial` task
 * per input partition, then `combine` tasks over groups of at most `splitEvery` results, level by
 * level, until one group is left for the `aggregate` task. Arrays, bags, dataframes and ml all
 * build their reductions with it, so there is one key scheme and one place for the defaults.
 *
 * Partitions may form a grid (an array's blocks along the reduced axes): groups are then boxes of
 * `splitEvery[d]` partitions along each dimension d. Several independent trees (`groups`, e.g.
 * one per output block of an array reduced along some axes) share one layer.
 */
import { GeneratedLayer, layerNode, type LayerInfo, type LayerNode } from './high-level';
import { ref, taskNode, type ArgSpec, type GraphNode, type Key } from './spec';
import type { OpCall } from '../ops/registry';

/**
 * Default number of partial results one combine task merges, per kind of collection, in one place.
 * Dask: 8 for bags and dataframes; 16 for arrays (spread over the reduced axes).
 */
export const SPLIT_EVERY = Object.freeze({ array: 16, bag: 8, dataframe: 8, ml: 16 });

export type CollectionKind = keyof typeof SPLIT_EVERY;

export interface TreeContext {
  /** Which tree (0 when there is one). */
  readonly group: number;
  /** Combine level, from 0 (the first combine over partials); -1 for the aggregate. */
  readonly level: number;
  /** Position of this task within its level of its tree. */
  readonly index: number;
  /** Number of inputs the whole tree started from. */
  readonly partitions: number;
  /** Position among the tree's combine and aggregate tasks in the order they are made (level by level, the aggregate last). */
  readonly seq: number;
}

export interface TreeReduceSpec {
  /** Unique name (normally with a token of the inputs): every key of the tree starts with it. */
  readonly name: string;
  /** Layer label for visualisation (default: the name's prefix up to its first '-'). */
  readonly label?: string;
  /** The partitions of each tree: a count, or a grid (one size per dimension). */
  readonly grid: number | readonly number[];
  /** Independent trees over the same grid (default 1). */
  readonly groups?: number;
  /** Results merged per combine task: a total (spread over the grid's dimensions) or per dimension; false: all at once. */
  readonly splitEvery: number | readonly number[] | false;
  /** The task of one partition: `index` in the grid, `i` its position in C order. */
  partial(index: readonly number[], i: number, group: number): OpCall;
  /** A task merging some results (given as references) into one of the same kind. */
  combine(parts: readonly ArgSpec[], ctx: TreeContext): OpCall;
  /** The last task, over the last group of results (default: combine). */
  aggregate?(parts: readonly ArgSpec[], ctx: TreeContext): OpCall;
  /** Key of each tree's result (default: the name, or `<name>-<group>` for several trees). */
  outputKey?(group: number): Key;
  /** What the tree's tasks hold and run (see LayerInfo). */
  readonly info?: LayerInfo;
  /** Combine at least once even when the partials fit one group (e.g. to copy a lone partial). */
  readonly alwaysCombine?: boolean;
}

export interface TreeReduction {
  /** The layer of every task of the trees. */
  readonly node: LayerNode;
  /** Each tree's result key, by group. */
  readonly keys: readonly Key[];
}

/** `splitEvery` for one kind of collection: the value given (checked) or the kind's default. */
export function splitEveryFor(kind: CollectionKind, given: number | false | undefined, who: string): number | false {
  if (given === undefined) return SPLIT_EVERY[kind];
  if (given === false) return false;
  if (!Number.isInteger(given) || given < 2) throw new RangeError(`${who}: splitEvery must be an integer >= 2 or false, got ${String(given)}`);
  return given;
}

function perDimension(split: TreeReduceSpec['splitEvery'], grid: readonly number[]): number[] {
  if (split === false) return grid.map((n) => Math.max(1, n));
  if (typeof split === 'number') {
    if (!(split >= 2)) throw new RangeError(`treeReduce: splitEvery must be at least 2, got ${split}`);
    // A total spread over the dimensions that have more than one partition.
    const wide = grid.filter((n) => n > 1).length;
    const per = Math.max(2, Math.floor(split ** (1 / Math.max(1, wide)) + 1e-9));
    return grid.map(() => per);
  }
  if (split.length !== grid.length) throw new RangeError(`treeReduce: splitEvery has ${split.length} entries for a grid of ${grid.length} dimensions`);
  return split.map((s) => Math.max(2, s));
}

function* boxes(grid: readonly number[]): Generator<number[]> {
  const n = grid.reduce((a, b) => a * b, 1);
  const idx = new Array<number>(grid.length).fill(0);
  for (let c = 0; c < n; c++) {
    yield [...idx];
    for (let d = grid.length - 1; d >= 0; d--) {
      if (++idx[d] < grid[d]) break;
      idx[d] = 0;
    }
  }
}

function flat(grid: readonly number[], idx: readonly number[]): number {
  let i = 0;
  for (let d = 0; d < grid.length; d++) i = i * grid[d] + idx[d];
  return i;
}

/** The tasks of the trees, in an order that finishes each subtree before the next (no sorting needed). */
function* treeTasks(spec: TreeReduceSpec, outputs: readonly Key[]): Generator<GraphNode> {
  const grid = typeof spec.grid === 'number' ? [spec.grid] : [...spec.grid];
  const split = perDimension(spec.splitEvery, grid);
  const groups = spec.groups ?? 1;
  const total = grid.reduce((a, b) => a * b, 1);
  const aggregate = spec.aggregate ?? spec.combine;
  for (let g = 0; g < groups; g++) {
    const gtag = groups > 1 ? `${g}-` : '';
    const outKey = outputs[g];
    let level: Key[] = [];
    let levelGrid = grid;
    for (const idx of boxes(grid)) {
      const i = flat(grid, idx);
      const key = `${spec.name}-partial-${gtag}${i}`;
      const call = spec.partial(idx, i, g);
      yield taskNode(key, call.op, call.args);
      level.push(key);
    }
    let depth = 0;
    let seq = 0;
    while (levelGrid.some((n, d) => n > split[d]) || (spec.alwaysCombine && depth === 0)) {
      const next = levelGrid.map((n, d) => Math.ceil(n / split[d]));
      const out: Key[] = [];
      for (const box of boxes(next)) {
        const members: ArgSpec[] = [];
        const lo = box.map((b, d) => b * split[d]);
        const size = box.map((b, d) => Math.min(levelGrid[d], (b + 1) * split[d]) - lo[d]);
        for (const off of boxes(size)) members.push(ref(level[flat(levelGrid, off.map((o, d) => lo[d] + o))]));
        const index = flat(next, box);
        const key = `${spec.name}-combine${depth}-${gtag}${index}`;
        const call = spec.combine(members, { group: g, level: depth, index, partitions: total, seq: seq++ });
        yield taskNode(key, call.op, call.args);
        out.push(key);
      }
      level = out;
      levelGrid = next;
      depth++;
    }
    const call = aggregate(level.map((k) => ref(k)), { group: g, level: -1, index: 0, partitions: total, seq });
    yield taskNode(outKey, call.op, call.args);
  }
}

/**
 * Builds the tree reduction layer over `parents` (the layers the partial tasks read). Nothing is
 * materialised until the graph is.
 */
export function treeReduce(spec: TreeReduceSpec, parents: readonly LayerNode[]): TreeReduction {
  const groups = spec.groups ?? 1;
  const grid = typeof spec.grid === 'number' ? [spec.grid] : spec.grid;
  if (grid.some((n) => !(n >= 1))) throw new RangeError(`treeReduce '${spec.name}': nothing to reduce (a grid of [${grid.join(', ')}] partitions)`);
  const keys = Array.from({ length: groups }, (_, g) => spec.outputKey?.(g) ?? (groups > 1 ? `${spec.name}-${g}` : spec.name));
  const label = spec.label ?? spec.name.split('-')[0];
  const layer = new GeneratedLayer(spec.name, label, () => treeTasks(spec, keys), spec.info);
  return { node: layerNode(layer, parents), keys };
}
