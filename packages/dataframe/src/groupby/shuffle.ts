/**
 * The group shuffle (Dask's groupby shuffle): rows hash-partitioned by key so that each group is
 * whole in one partition; then transform, apply and splitOut work partition by partition.
 */
import { arr, checkOptions, fnArg, layerNode, lit, ref, type OpRef, type OptionSchema, type TaskNode } from '@pdask/core';
import type { IndexMeta } from '../base';
import { DataFrame } from '../frame';
import type { GroupBy } from '../groupby';
import { FrameLayer, opName, partitionKey } from '../graph';
import { fnOp } from '../map-partitions';
import { parseDtype, type Dtype } from '../dtypes';
import { isNumericDesc } from '../meta';
import type { ApplySpec, TransformName, TransformSpec } from '../ops/group-shuffle';
import { dataframeOps } from '../ops/index';
import { keyResultType } from '../ops/results';
import type { TypeDesc } from '../ops/types';
import { Series } from '../series';
import { shuffleMethodOf, shuffleStage, type ShuffleMethod } from '../shuffle-method';

const F64: TypeDesc = { id: 'float', bits: 64 };
const I32: TypeDesc = { id: 'int', bits: 32, signed: true };

/** The frame's rows in `n` partitions by hash of the key columns (tagged first: `tag`), moved by `method` (default: config). */
export function shuffleByKeys(frame: DataFrame, by: readonly string[], n: number, tag: boolean, method: ShuffleMethod = shuffleMethodOf('shuffle')): { name: string; layer: ReturnType<typeof layerNode> } {
  const name = method === 'p2p' ? opName('group-shuffle', frame.name, by, n, tag, method) : opName('group-shuffle', frame.name, by, n, tag);
  const ops = dataframeOps;
  const layer = new FrameLayer(name, 'group-shuffle', () => {
    const tasks: TaskNode[] = [];
    const src = (i: number): string => (tag ? `${name}-tag-${i}` : partitionKey(frame.name, i));
    if (tag) for (let i = 0; i < frame.npartitions; i++) tasks.push(ops.tagRows.task(src(i), ref(partitionKey(frame.name, i)), lit(i)));
    const stage = shuffleStage(name, frame.npartitions, n, (key, i) => ops.hashSplit.task(key, ref(src(i)), lit(by), lit(n)), method);
    tasks.push(...stage.tasks);
    for (let b = 0; b < n; b++) tasks.push(ops.concatParts.task(partitionKey(name, b), stage.pieces(b)));
    return tasks;
  });
  return { name, layer: layerNode(layer, [frame.layer]) };
}

export const TRANSFORMS: readonly TransformName[] = ['mean', 'sum', 'min', 'max', 'std', 'var', 'count', 'first', 'last', 'size'];

/** `groupby(k).col(c).transform('mean' | fn)`: a series aligned with the frame (same partitions and row order). */
export function transformSeries(g: GroupBy, column: string, how: TransformName | ((values: Float64Array) => ArrayLike<number | null> | number), method: string): Series {
  const frame = g.frame;
  if (!isNumericDesc(frame.typeOf(column))) throw new TypeError(`${method}: column '${column}' has dtype ${frame.dtypes[column]}; transform needs numbers`);
  let name: TransformName | null = null;
  let fn: OpRef | null = null;
  if (typeof how === 'string') {
    if (!TRANSFORMS.includes(how)) throw new TypeError(`${method}: unknown aggregation '${how}'; known: ${TRANSFORMS.join(', ')}, or a function`);
    name = how;
  } else fn = fnOp(how, method);
  const outType = name === 'count' || name === 'size' ? I32 : F64;
  const spec: TransformSpec = { by: [...g.by], dropna: g.dropna, column, out: column, outType, name, ddof: g.ddof };
  const n = frame.npartitions;
  const shuffled = shuffleByKeys(frame, g.by, n, true);
  const key = opName('groupby-transform', shuffled.name, spec, fn);
  const ops = dataframeOps;
  const layer = new FrameLayer(key, 'groupby-transform', () => {
    const tasks: TaskNode[] = [];
    for (let b = 0; b < n; b++) {
      tasks.push(ops.groupTransformPart.task(`${key}-t-${b}`, ref(partitionKey(shuffled.name, b)), lit(spec), fn ? fnArg(fn) : lit(null)));
      tasks.push(ops.splitByTag.task(`${key}-s-${b}`, ref(`${key}-t-${b}`), lit(n)));
      for (let i = 0; i < n; i++) tasks.push(ops.pickPiece.task(`${key}-p-${b}-${i}`, ref(`${key}-s-${b}`), lit(i)));
    }
    for (let i = 0; i < n; i++) tasks.push(ops.gatherTagged.task(partitionKey(key, i), arr(Array.from({ length: n }, (_, b) => ref(`${key}-p-${b}-${i}`)))));
    return tasks;
  });
  return new Series(key, n, layerNode(layer, [shuffled.layer]), frame.divisions, { name: column, type: outType, index: frame.meta.index });
}

export interface ApplyOptions {
  /** The result: `[name, dtype]` for one value per group (a series, default `[null, 'float64']`), `{ column: dtype }` for frames returned by fn. */
  meta?: readonly [name: string | null, dtype: Dtype] | Readonly<Record<string, Dtype>>;
}

const APPLY_OPTIONS: OptionSchema<ApplyOptions> = {
  meta: (v) => (typeof v === 'object' && v !== null ? undefined : '[name, dtype] or { column: dtype }'),
};

/** `groupby(k).apply(fn, { meta })`: fn on each group's rows (a LocalFrame), after the shuffle. */
export function applyGroups(g: GroupBy, fn: unknown, opts: ApplyOptions | undefined, method: string): DataFrame | Series {
  checkOptions(method, opts, APPLY_OPTIONS);
  const op = fnOp(fn, method);
  const fnName = op.name ? `'${op.name}'` : 'the function';
  const frame = g.frame;
  const meta = opts?.meta ?? [null, 'float64'];
  const levelNames = g.levelNames ?? g.by;
  const keyTypes = g.by.map((b) => keyResultType(frame.typeOf(b)));
  let out: ApplySpec['out'];
  let label: string | null = null;
  if (Array.isArray(meta)) {
    const [name, dtype] = meta as readonly [string | null, Dtype];
    label = name;
    out = { kind: 'scalar', column: name ?? 'values', type: parseDtype(dtype, method, 'the result in meta') };
  } else {
    const rec = meta as Readonly<Record<string, Dtype>>;
    const names = Object.keys(rec);
    if (names.length === 0) throw new TypeError(`${method}: meta has no column`);
    out = { kind: 'frame', names, types: names.map((n) => parseDtype(rec[n], method, `column '${n}' in meta`)) };
  }
  const spec: ApplySpec = { by: [...g.by], dropna: g.dropna, indexNames: (frame.meta.index?.levels ?? []).map((l) => l.name), keyTypes, out };
  const n = frame.npartitions;
  const shuffled = shuffleByKeys(frame, g.by, n, false);
  const { name, layer } = (() => {
    const key = opName('groupby-apply', shuffled.name, spec, op);
    const l = new FrameLayer(key, 'groupby-apply', function* () {
      for (let b = 0; b < n; b++) yield dataframeOps.groupApplyPart.task(partitionKey(key, b), ref(partitionKey(shuffled.name, b)), lit(spec), fnArg(op), lit(fnName));
    });
    return { name: key, layer: layerNode(l, [shuffled.layer]) };
  })();
  const index: IndexMeta = { levels: keyTypes.map((type, j) => ({ type, name: levelNames[j] })) };
  if (out.kind === 'scalar') return new Series(name, n, layer, null, { name: out.column, label, type: out.type, index });
  if (out.kind === 'frame') return new DataFrame(name, n, layer, null, { names: [...out.names], types: [...out.types], index });
  throw new Error('internal: apply meta');
}

/** A group-by result computed in `n` partitions (Dask's split_out): each key in one partition, by hash. */
export function splitOutResult<C extends DataFrame | Series>(frame: DataFrame, by: readonly string[], n: number, compute: (part: DataFrame) => C): C {
  const shuffled = shuffleByKeys(frame, by, n, false);
  const results: C[] = [];
  for (let b = 0; b < n; b++) {
    const view = opName('group-shuffle-part', shuffled.name, b);
    const layer = new FrameLayer(view, 'group-shuffle-part', () => [dataframeOps.passPart.task(partitionKey(view, 0), ref(partitionKey(shuffled.name, b)))]);
    results.push(compute(new DataFrame(view, 1, layerNode(layer, [shuffled.layer]), null, frame.meta)));
  }
  const name = opName('split-out', results.map((r) => r.name));
  const layer = new FrameLayer(name, 'split-out', function* () {
    for (let b = 0; b < n; b++) yield dataframeOps.passPart.task(partitionKey(name, b), ref(partitionKey(results[b].name, 0)));
  });
  const node = layerNode(layer, results.map((r) => r.layer));
  const first = results[0];
  if (first instanceof DataFrame) return new DataFrame(name, n, node, null, first.meta) as C;
  return new Series(name, n, node, null, (first as Series).meta) as C;
}
