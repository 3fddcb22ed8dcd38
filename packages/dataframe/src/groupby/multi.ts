/**
 * Scans and transforms of every non-key column at once (pandas' `df.groupby('k').cumsum()`,
 * `.shift(1)`, `.transform('mean')`): one chain of carries (scans) or one shuffle (transforms) for
 * the whole frame, through ops/group-multi.ts. The result keeps the frame's partitions, row order,
 * index and divisions, as the one-column forms do.
 */
import { arr, fnArg, layerNode, lit, ref, type OpRef, type TaskNode } from '@pdask/core';
import { DataFrame } from '../frame';
import type { GroupBy } from '../groupby';
import { FrameLayer, opName, partitionKey } from '../graph';
import { fnOp } from '../map-partitions';
import { isNumericDesc } from '../meta';
import type { ScanOp, ScanSpec } from '../ops/group-scan';
import type { TransformName, TransformSpec } from '../ops/group-shuffle';
import { dataframeOps } from '../ops/index';
import type { TypeDesc } from '../ops/types';
import { scanType } from './scan';
import { shuffleByKeys, TRANSFORMS } from './shuffle';

/** Columns a series key adds to the frame (groupby/keys.ts): never values. */
const hidden = (n: string): boolean => n.startsWith('__pdask_by');

/**
 * The columns a scan takes, as pandas 1.5 takes them: every non-key column for shift, the numeric
 * ones for cumsum/cumprod, and numbers and times for cummin/cummax (others are left out, pandas'
 * nuisance columns).
 */
function scanColumns(g: GroupBy, op: ScanOp, method: string): string[] {
  const f = g.frame;
  const cols = f.columns.filter((c) => !g.by.includes(c) && !hidden(c));
  const takes = (t: TypeDesc): boolean => op === 'shift' || isNumericDesc(t) || ((op === 'cummin' || op === 'cummax') && (t.id === 'timestamp' || t.id === 'duration'));
  const out = cols.filter((c) => takes(f.typeOf(c)));
  if (out.length === 0) throw new Error(`${method}: the frame has no column ${op === 'shift' ? '' : `${op} can take `}besides the grouping column(s) ${g.by.map((b) => `'${b}'`).join(', ')}`);
  return out;
}

export function scanFrame(g: GroupBy, op: Exclude<ScanOp, 'cumcount' | 'rolling'>, periods: number, method: string): DataFrame {
  if (op === 'shift' && !Number.isInteger(periods)) throw new TypeError(`${method}: periods must be an integer, got ${String(periods)}`);
  const frame = g.frame;
  const columns = scanColumns(g, op, method);
  const specs: ScanSpec[] = columns.map((c) => ({ by: [...g.by], dropna: g.dropna, op, column: c, out: c, outType: scanType(op, frame.typeOf(c), c, method), n: op === 'shift' ? periods : 0 }));
  const name = opName(`groupby-${op}-frame`, frame.name, specs);
  const n = frame.npartitions;
  const backward = op === 'shift' && periods < 0;
  const ops = dataframeOps;
  const layer = new FrameLayer(name, `groupby-${op}`, () => {
    const tasks: TaskNode[] = [];
    for (let r = 0; r < n; r++) {
      const i = backward ? n - 1 - r : r;
      const prev = r === 0 ? null : `${name}-state-${backward ? i + 1 : i - 1}`;
      const step = `${name}-step-${i}`;
      tasks.push(ops.groupScanMany.task(step, ref(partitionKey(frame.name, i)), prev === null ? lit(null) : ref(prev), lit(specs)));
      tasks.push(ops.scanManyStateOf.task(`${name}-state-${i}`, ref(step)));
      tasks.push(ops.scanManyPartOf.task(partitionKey(name, i), ref(step)));
    }
    return tasks;
  });
  return new DataFrame(name, n, layerNode(layer, [frame.layer]), frame.divisions, { names: columns, types: specs.map((s) => s.outType), index: frame.meta.index });
}

const F64: TypeDesc = { id: 'float', bits: 64 };
const I32: TypeDesc = { id: 'int', bits: 32, signed: true };

/** `groupby(k).transform('mean' | fn)` of every numeric non-key column: a frame aligned with the input's rows. */
export function transformFrame(g: GroupBy, how: TransformName | ((values: Float64Array) => ArrayLike<number | null> | number), method: string): DataFrame {
  const frame = g.frame;
  let name: TransformName | null = null;
  let fn: OpRef | null = null;
  if (typeof how === 'string') {
    if (how === 'size') throw new TypeError(`${method}: 'size' gives one value per row whatever the column (pandas returns a Series): use groupby(k).col(c).transform('size')`);
    if (!TRANSFORMS.includes(how)) throw new TypeError(`${method}: unknown aggregation '${String(how)}'; known: ${TRANSFORMS.filter((t) => t !== 'size').join(', ')}, or a function`);
    name = how;
  } else fn = fnOp(how, method);
  const columns = frame.columns.filter((c) => !g.by.includes(c) && !hidden(c) && isNumericDesc(frame.typeOf(c)));
  if (columns.length === 0) throw new Error(`${method}: the frame has no numeric column besides the grouping column(s) ${g.by.map((b) => `'${b}'`).join(', ')}`);
  const outType = name === 'count' ? I32 : F64;
  const specs: TransformSpec[] = columns.map((c) => ({ by: [...g.by], dropna: g.dropna, column: c, out: c, outType, name, ddof: g.ddof }));
  const n = frame.npartitions;
  const shuffled = shuffleByKeys(frame, g.by, n, true);
  const key = opName('groupby-transform-frame', shuffled.name, specs, fn);
  const ops = dataframeOps;
  const layer = new FrameLayer(key, 'groupby-transform', () => {
    const tasks: TaskNode[] = [];
    for (let b = 0; b < n; b++) {
      tasks.push(ops.groupTransformMany.task(`${key}-t-${b}`, ref(partitionKey(shuffled.name, b)), lit(specs), fn ? fnArg(fn) : lit(null)));
      tasks.push(ops.splitByTag.task(`${key}-s-${b}`, ref(`${key}-t-${b}`), lit(n)));
      for (let i = 0; i < n; i++) tasks.push(ops.pickPiece.task(`${key}-p-${b}-${i}`, ref(`${key}-s-${b}`), lit(i)));
    }
    for (let i = 0; i < n; i++) tasks.push(ops.gatherTagged.task(partitionKey(key, i), arr(Array.from({ length: n }, (_, b) => ref(`${key}-p-${b}-${i}`)))));
    return tasks;
  });
  return new DataFrame(key, n, layerNode(layer, [shuffled.layer]), frame.divisions, { names: columns, types: columns.map(() => outType), index: frame.meta.index });
}
