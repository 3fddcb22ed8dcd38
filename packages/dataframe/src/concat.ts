/**
 * dd.concat: frames (or series) stacked along the rows or put side by side along the columns, with
 * Dask 2022.12's divisions rules. Rows: known divisions in ascending order are kept, otherwise the
 * result's are unknown, or with `interleavePartitions` every input is repartitioned to the union of
 * the divisions and partition i of each is stacked. Columns: known divisions align the inputs on
 * the index (as join), unknown ones need as many partitions everywhere, else Dask's error.
 */
import { arr, checkOptions, layerNode, lit, ref, type OptionSchema, type TaskNode } from '@pdask/core';
import type { Divisions, IndexMeta } from './base';
import { DataFrame } from './frame';
import { FrameLayer, opName, partitionKey } from './graph';
import { withExplicitIndex } from './index-ops/common';
import { compareLabels, unionDivisions } from './index-ops/divisions';
import { joinIndex } from './index-ops/join';
import { toDivisions } from './index-ops/repartition';
import { isNumericDesc } from './meta';
import { dataframeOps } from './ops/index';
import type { TypeDesc } from './ops/types';
import { Series } from './series';

export interface ConcatOptions {
  /** 0 (default): stack the rows; 1: put the columns side by side. */
  axis?: 0 | 1;
  /** 'outer' (default): every column (rows: missing values where an input lacks one) or every label; 'inner': the shared ones. */
  join?: 'outer' | 'inner';
  /** Rows with known divisions that are not in ascending order: repartition to their union and interleave (Dask's interleave_partitions). */
  interleavePartitions?: boolean;
}

const CONCAT_OPTIONS: OptionSchema<ConcatOptions> = {
  axis: { oneOf: [0, 1] },
  join: { oneOf: ['outer', 'inner'] },
  interleavePartitions: 'boolean',
};

const F64: TypeDesc = { id: 'float', bits: 64 };
const same = (a: TypeDesc, b: TypeDesc): boolean => JSON.stringify(a) === JSON.stringify(b);

/** One type for a column found in several inputs (and missing from some). */
function unify(column: string, types: readonly TypeDesc[], missingSomewhere: boolean): TypeDesc {
  const first = types[0];
  if (types.every((t) => same(t, first))) return first.id === 'int' && missingSomewhere ? F64 : first;
  if (types.every((t) => isNumericDesc(t) && t.id !== 'bool')) return F64;
  throw new TypeError(`concat: column '${column}' has dtypes ${[...new Set(types.map((t) => JSON.stringify(t)))].join(' and ')} in different inputs; convert them with astype first`);
}

export function concat(objs: readonly (DataFrame | Series)[], opts: ConcatOptions = {}): DataFrame | Series {
  const o = checkOptions('concat', opts, CONCAT_OPTIONS);
  if (!Array.isArray(objs)) throw new TypeError('concat: expected an array of DataFrames or Series');
  if (objs.length === 0) throw new Error('concat: no objects to concatenate');
  objs.forEach((x, i) => {
    if (!(x instanceof DataFrame) && !(x instanceof Series)) throw new TypeError(`concat: item ${i} is not a DataFrame or a Series`);
  });
  const axis = o.axis ?? 0;
  const join = o.join ?? 'outer';
  if (axis === 1) return concatColumns(objs.map((x) => (x instanceof Series ? x.toFrame() : x)), join);
  if (objs.length === 1) return objs[0];
  if (objs.every((x) => x instanceof Series)) return concatSeries(objs as Series[], join, o.interleavePartitions ?? false);
  if (objs.some((x) => x instanceof Series)) throw new TypeError('concat: along the rows the inputs must be all DataFrames or all Series (use series.toFrame())');
  return concatRows(objs as DataFrame[], join, o.interleavePartitions ?? false);
}

function concatSeries(ss: readonly Series[], join: 'outer' | 'inner', interleave: boolean): Series {
  const name = ss[0].seriesName;
  const sameName = ss.every((s) => s.seriesName === name && (s.meta.label === undefined ? s.seriesName : s.meta.label) === (ss[0].meta.label === undefined ? name : ss[0].meta.label));
  const stacked = concatRows(ss.map((s) => (s.seriesName === name ? s : s.rename(name)).toFrame()), join, interleave).col(name);
  // pandas keeps the name only when every series has it.
  return sameName ? stacked : new Series(stacked.name, stacked.npartitions, stacked.layer, stacked.divisions, { ...stacked.meta, label: null });
}

/**
 * Inputs without an index are labelled by their row positions: made explicit when their divisions
 * are known (so the labels survive, repeated as in pandas), left implicit when none has an index or
 * known divisions (then rows are numbered anew, as after any pdask filter).
 */
function labelled(dfs: readonly DataFrame[]): DataFrame[] {
  const indexed = dfs.some((d) => d.meta.index !== null);
  const allKnown = dfs.every((d) => d.divisions !== null);
  if (!indexed && !allKnown) return [...dfs];
  return dfs.map((d) => withExplicitIndex(d, 'concat'));
}

function concatRows(inputs: readonly DataFrame[], join: 'outer' | 'inner', interleave: boolean): DataFrame {
  let dfs = labelled(inputs);
  const names = join === 'inner' ? dfs[0].columns.filter((c) => dfs.every((d) => d.columns.includes(c))) : [...new Set(dfs.flatMap((d) => d.columns))];
  const types = names.map((n) => {
    const having = dfs.filter((d) => d.columns.includes(n));
    return unify(n, having.map((d) => d.typeOf(n)), having.length < dfs.length);
  });
  const levels = dfs[0].meta.index?.levels ?? [];
  if (dfs.some((d) => (d.meta.index?.levels.length ?? 0) !== levels.length)) throw new Error('concat: the inputs have indexes of different numbers of levels');
  const indexTypes = levels.map((l, j) => unify('the index', dfs.map((d) => d.meta.index!.levels[j].type), false));
  const index: IndexMeta | null = levels.length ? { levels: levels.map((l, j) => ({ type: indexTypes[j], name: dfs.every((d) => d.meta.index!.levels[j].name === l.name) ? l.name : null })) } : null;

  // Which partitions of which inputs each output partition stacks, and the result's divisions.
  let groups: [number, number][][];
  let divisions: Divisions;
  const known = dfs.every((d) => d.divisions !== null);
  const ordered = known && dfs.every((d, i) => i === dfs.length - 1 || compareLabels(d.divisions![d.divisions!.length - 1], dfs[i + 1].divisions![0]) < 0);
  if (known && !ordered && interleave) {
    let union = dfs.map((d) => d.divisions!).reduce((a, b) => unionDivisions(a, b));
    if (union.length === 1) union = [union[0], union[0]];
    dfs = dfs.map((d) => toDivisions(d, union, true, 'concat'));
    groups = Array.from({ length: union.length - 1 }, (_, i) => dfs.map((_, k): [number, number] => [k, i]));
    divisions = union;
  } else {
    groups = dfs.flatMap((d, k) => Array.from({ length: d.npartitions }, (_, i): [number, number][] => [[k, i]]));
    divisions = ordered ? [...dfs.slice(0, -1).flatMap((d) => d.divisions!.slice(0, -1)), ...dfs[dfs.length - 1].divisions!] : null;
  }
  const name = opName('concat', dfs.map((d) => d.name), join, names, groups.length);
  const srcs = dfs;
  const layer = new FrameLayer(name, 'concat', function* (): Generator<TaskNode> {
    for (let j = 0; j < groups.length; j++) {
      const parts = arr(groups[j].map(([k, i]) => ref(partitionKey(srcs[k].name, i))));
      yield dataframeOps.stackParts.task(partitionKey(name, j), parts, lit(names), lit(types), lit(indexTypes));
    }
  });
  return new DataFrame(name, groups.length, layerNode(layer, [...new Set(dfs.map((d) => d.layer))]), divisions, { names, types, index });
}

function concatColumns(dfs: readonly DataFrame[], join: 'outer' | 'inner'): DataFrame {
  if (dfs.length === 1) return dfs[0];
  const all = dfs.flatMap((d) => d.columns);
  const dup = all.find((c, i) => all.indexOf(c) !== i);
  if (dup !== undefined) throw new Error(`concat: column '${dup}' is in more than one input; pdask frames cannot hold two columns of one name (rename one first)`);
  if (dfs.every((d) => d.divisions !== null)) {
    // Aligned on the index: the union of the divisions, then the labels of each partition joined.
    return dfs.slice(1).reduce((acc, d) => joinIndex(acc, d, { how: join }, 'concat'), dfs[0]);
  }
  const n = dfs[0].npartitions;
  if (!dfs.every((d) => d.divisions === null && d.npartitions === n)) throw new Error('concat: Unable to concatenate DataFrame with unknown division specifying axis=1 (the inputs need known divisions, or all unknown with as many partitions)');
  const indexed = dfs.filter((d) => d.meta.index !== null).length;
  if (indexed === dfs.length) {
    // As Dask, the partitions are assumed to hold the same labels; within each they are joined by label.
    return dfs.slice(1).reduce((acc, d) => joinPartitionwise(acc, d, join), dfs[0]);
  }
  if (indexed > 0) throw new Error('concat: along the columns, either every input has an index or none has');
  const name = opName('concat-columns', dfs.map((d) => d.name));
  const layer = new FrameLayer(name, 'concat', function* (): Generator<TaskNode> {
    for (let i = 0; i < n; i++) yield dataframeOps.sideBySide.task(partitionKey(name, i), arr(dfs.map((d) => ref(partitionKey(d.name, i)))), lit(dfs.map((d) => d.columns)));
  });
  return new DataFrame(name, n, layerNode(layer, [...new Set(dfs.map((d) => d.layer))]), null, { names: all, types: dfs.flatMap((d) => d.columns.map((c) => d.typeOf(c))), index: null });
}

/** Two frames with unknown divisions and as many partitions, partition i of each joined by label. */
function joinPartitionwise(a: DataFrame, b: DataFrame, how: 'outer' | 'inner'): DataFrame {
  const widen = (t: TypeDesc): TypeDesc => (how === 'outer' && t.id === 'int' ? F64 : t);
  const names = [...a.columns, ...b.columns];
  const types = [...a.columns.map((c) => widen(a.typeOf(c))), ...b.columns.map((c) => widen(b.typeOf(c)))];
  const toFloat = names.filter((_, j) => types[j] === F64 && (j < a.columns.length ? a.typeOf(names[j]) : b.typeOf(names[j])).id === 'int');
  const name = opName('concat-columns', a.name, b.name, how);
  const layer = new FrameLayer(name, 'concat', function* (): Generator<TaskNode> {
    for (let i = 0; i < a.npartitions; i++) yield dataframeOps.joinOnIndex.task(partitionKey(name, i), ref(partitionKey(a.name, i)), ref(partitionKey(b.name, i)), lit(how), lit(a.columns), lit(b.columns), lit(toFloat));
  });
  const [ia, ib] = [a.meta.index!.levels[0], b.meta.index!.levels[0]];
  const index: IndexMeta = { levels: [{ type: same(ia.type, ib.type) ? ia.type : F64, name: ia.name === ib.name ? ia.name : null }] };
  return new DataFrame(name, a.npartitions, layerNode(layer, [...new Set([a.layer, b.layer])]), null, { names, types, index });
}
