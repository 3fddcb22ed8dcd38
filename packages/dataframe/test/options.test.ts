/**
 * Strict options: every public function and method of @pdask/dataframe that takes an options object
 * refuses a misspelt key by name, and options pandas/Dask have but pdask does not implement are
 * refused by name rather than ignored. The table below is checked to cover every exported
 * options type.
 */
import { errorOf } from '../../../test/helpers/options';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OptionError } from '@pdask/core';
import { tableFromArrays } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { REDUCTIONS } from '../src/ops/reduce';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-options-'));
  writeFileSync(join(dir, 'a.csv'), 'x,y\n1,2.5\n2,3.5\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const df = () => dd.fromColumns({ x: Int32Array.from([1, 2, 1, 3]), y: Float64Array.from([1, 2, 3, 4]) }, { npartitions: 2 });

const strs = () => dd.fromColumns({ s: ['a', 'b'] }, { npartitions: 1 }).col('s');

/** [exported options type, public name in the error, the call with a misspelt option, the misspelt key, the suggestion]. */
type Row = [optionsType: string, fn: string, call: () => unknown, bad: string, suggestion: string | null];

const CALLS: Row[] = [
  ['PartitionOptions', 'fromColumns', () => dd.fromColumns({ a: [1] }, { npartition: 1 } as never), 'npartition', 'npartitions'],
  ['PartitionOptions', 'fromArrow', () => dd.fromArrow(tableFromArrays({ a: Float64Array.from([1]) }), { chunkSize: 1 } as never), 'chunkSize', 'chunksize'],
  ['PartitionOptions', 'fromRecords', () => dd.fromRecords([{ a: 1 }], { npartitons: 1 } as never), 'npartitons', 'npartitions'],
  ['ReadCsvOptions', 'readCsv', () => dd.readCsv(join(dir, 'a.csv'), { blockSize: 10 } as never), 'blockSize', 'blocksize'],
  ['ReadParquetOptions', 'readParquet', () => dd.readParquet(join(dir, 'none.parquet'), { column: ['x'] } as never), 'column', 'columns'],
  ['HeadOptions', 'DataFrame.head', () => df().head(2, { npartition: 2 } as never), 'npartition', 'npartitions'],
  ['HeadOptions', 'Series.head', () => df().col('y').head(2, { schedular: 'sync' } as never), 'schedular', 'scheduler'],
  ['DropnaOptions', 'DataFrame.dropna', () => df().dropna({ subsets: ['x'] } as never), 'subsets', 'subset'],
  ['RenameOptions', 'DataFrame.rename', () => df().rename({ columns: { x: 'z' }, colums: {} } as never), 'colums', 'columns'],
  ['MergeOptions', 'DataFrame.merge', () => df().merge(df(), { onn: 'x' } as never), 'onn', 'on'],
  ['MergeOptions', 'merge', () => dd.merge(df(), df(), { leftOnn: 'x' } as never), 'leftOnn', 'leftOn'],
  ['SortValuesOptions', 'DataFrame.sortValues', () => df().sortValues('y', { acending: false } as never), 'acending', 'ascending'],
  ['SetIndexOptions', 'DataFrame.setIndex', () => df().setIndex('x', { sorteed: true } as never), 'sorteed', 'sorted'],
  ['ToCsvOptions', 'DataFrame.toCsv', () => df().toCsv(join(dir, 'out-*.csv'), { seperator: ';' } as never), 'seperator', null],
  ['ToParquetOptions', 'DataFrame.toParquet', () => df().toParquet(join(dir, 'pq'), { rowGroupsize: 2 } as never), 'rowGroupsize', 'rowGroupSize'],
  ['GroupbyOptions', 'DataFrame.groupby', () => df().groupby('x', { splitevery: 2 } as never), 'splitevery', 'splitEvery'],
  ['ValueCountsOptions', 'Series.valueCounts', () => df().col('x').valueCounts({ splitEverry: 2 } as never), 'splitEverry', 'splitEvery'],
  ['AggregationSpec', 'Aggregation', () => new dd.Aggregation({ name: 'a', chunk: (g: dd.GroupedValues) => g.sum(), agg: (s: dd.GroupedValues) => s.sum(), finalise: (s: dd.PerGroup) => s } as never), 'finalise', 'finalize'],
  ['FromBagOptions', 'fromBag', () => dd.fromBag({ npartitions: 1, toDelayed: () => [] }, { metta: {} } as never), 'metta', 'meta'],
  // compute()/persist()/len() options are core's ComputeOptions, checked by core.
  ['ComputeOptions', 'compute', () => df().compute({ schedular: 'sync' } as never), 'schedular', 'scheduler'],
  ['ComputeOptions', 'persist', () => df().col('y').persist({ numworkers: 2 } as never), 'numworkers', 'numWorkers'],
  ['ComputeOptions', 'compute', () => df().len({ schedular: 'sync' } as never), 'schedular', 'scheduler'],
  ['ComputeOptions', 'compute', () => df().col('y').sum().compute({ retris: 1 } as never), 'retris', 'retries'],
  // Every reduction method of Series and DataFrame.
  ...Object.keys(REDUCTIONS).flatMap((r): Row[] => [
    ['ReductionOptions', `Series.${r}`, () => (df().col('y') as unknown as Record<string, (o: unknown) => unknown>)[r]({ splitEvry: 2 }), 'splitEvry', 'splitEvery'],
    ['ReductionOptions', `DataFrame.${r}`, () => (df() as unknown as Record<string, (o: unknown) => unknown>)[r]({ splitEvry: 2 }), 'splitEvry', 'splitEvery'],
  ]),
  // The .str accessor (test/dtypes.test.ts).
  ['ContainsOptions', 'Series.str.contains', () => strs().str.contains('a', { regx: true } as never), 'regx', 'regex'],
  ['MatchOptions', 'Series.str.match', () => strs().str.match('a', { cas: false } as never), 'cas', 'case'],
  ['ReplaceOptions', 'Series.str.replace', () => strs().str.replace('a', 'b', { regexp: true } as never), 'regexp', 'regex'],
  ['SplitOptions', 'Series.str.split', () => strs().str.split('a', { n: 1, expnd: true } as never), 'expnd', 'expand'],
  ['CatOptions', 'Series.str.cat', () => strs().str.cat(strs(), { seps: '-' } as never), 'seps', 'sep'],
  // Methods across partitions and holistic reductions (cumulative.ts, stats.ts, sample.ts, concat.ts).
  ['CumulativeOptions', 'DataFrame.cumsum', () => df().cumsum({ skipNa: true } as never), 'skipNa', 'skipna'],
  ['CumulativeOptions', 'Series.cummax', () => df().col('y').cummax({ skipnaa: true } as never), 'skipnaa', 'skipna'],
  ['TailOptions', 'DataFrame.tail', () => df().tail(2, { npartition: 2 } as never), 'npartition', 'npartitions'],
  ['IdxOptions', 'Series.idxmax', () => df().col('y').idxmax({ skipNa: false } as never), 'skipNa', 'skipna'],
  ['IdxOptions', 'DataFrame.idxmin', () => df().idxmin({ splitevery: 2 } as never), 'splitevery', 'splitEvery'],
  ['QuantileOptions', 'Series.quantile', () => df().col('y').quantile(0.5, { interpolaton: 'linear' } as never), 'interpolaton', 'interpolation'],
  ['QuantileOptions', 'DataFrame.quantile', () => df().quantile([0.5], { splitevery: 2 } as never), 'splitevery', 'splitEvery'],
  ['DescribeOptions', 'DataFrame.describe', () => df().describe({ percentile: [0.5] } as never), 'percentile', 'percentiles'],
  ['DescribeOptions', 'Series.describe', () => df().col('y').describe({ percentile: [0.5] } as never), 'percentile', 'percentiles'],
  ['CorrOptions', 'DataFrame.corr', () => df().corr({ minPeriod: 2 } as never), 'minPeriod', 'minPeriods'],
  ['CorrOptions', 'Series.corr', () => df().col('y').corr(df().col('x'), { min_periods: 2 } as never), 'min_periods', null],
  ['CovOptions', 'DataFrame.cov', () => df().cov({ ddoff: 0 } as never), 'ddoff', 'ddof'],
  ['CovOptions', 'Series.cov', () => df().col('y').cov(df().col('x'), { minPeriod: 2 } as never), 'minPeriod', 'minPeriods'],
  ['SampleOptions', 'DataFrame.sample', () => df().sample({ frac: 0.5, randomstate: 1 } as never), 'randomstate', 'randomState'],
  ['SampleOptions', 'Series.sample', () => df().col('y').sample({ frac: 0.5, replac: true } as never), 'replac', 'replace'],
  ['ConcatOptions', 'concat', () => dd.concat([df(), df()], { interleavePartition: true } as never), 'interleavePartition', 'interleavePartitions'],
  // Issue #11's methods (test/elem.test.ts).
  ['BetweenOptions', 'Series.between', () => df().col('x').between(1, 2, { inclusiv: 'both' } as never), 'inclusiv', 'inclusive'],
  ['ClipOptions', 'Series.clip', () => df().col('x').clip({ lowr: 1 } as never), 'lowr', 'lower'],
  ['MapValuesOptions', 'Series.map', () => df().col('x').map({ 1: 2 }, { naActon: 'ignore' } as never), 'naActon', 'naAction'],
  ['ApplyOptions', 'DataFrame.apply', () => df().apply((r) => r.x, { axis: 1, met: 'float64' } as never), 'met', 'meta'],
  ['DropDuplicatesOptions', 'DataFrame.dropDuplicates', () => df().dropDuplicates({ subst: ['x'] } as never), 'subst', 'subset'],
  ['ShuffleOptions', 'DataFrame.shuffle', () => df().shuffle('x', { methd: 'p2p' } as never), 'methd', 'method'],
  ['NuniqueOptions', 'Series.nunique', () => df().col('x').nunique({ dropNa: true } as never), 'dropNa', 'dropna'],
  ['NlargestOptions', 'Series.nlargest', () => df().col('x').nlargest(2, { splitevery: 2 } as never), 'splitevery', 'splitEvery'],
  ['MeltOptions', 'DataFrame.melt', () => df().melt({ idVar: ['x'] } as never), 'idVar', 'idVars'],
  ['CategorizeOptions', 'DataFrame.categorize', () => df().categorize({ column: ['x'] } as never), 'column', 'columns'],
  ['PivotTableOptions', 'DataFrame.pivotTable', () => df().pivotTable({ index: 'x', columns: 'y', values: 'y', aggFunc: 'sum' } as never), 'aggFunc', 'aggfunc'],
  ['GetDummiesOptions', 'getDummies', () => dd.getDummies(df(), { prefixsep: '-' } as never), 'prefixsep', 'prefixSep'],
  // Group-by extras, rolling and resample (test/groupby-more.test.ts, test/rolling.test.ts).
  ['GroupbyOptions', 'DataFrame.groupby', () => df().groupby('x', { splitout: 2 } as never), 'splitout', 'splitOut'],
  ['GroupRollingOptions', 'SeriesGroupBy.rolling', () => df().groupby('x').col('y').rolling(2, { minperiods: 1 } as never), 'minperiods', 'minPeriods'],
  ['RollingOptions', 'Series.rolling', () => df().col('y').rolling(2, { minperiods: 1 } as never), 'minperiods', 'minPeriods'],
  ['RollingOptions', 'DataFrame.rolling', () => df().rolling(2, { centre: true } as never), 'centre', 'center'],
  ['GroupApplyOptions', 'GroupBy.apply', () => df().groupby('x').apply((g: dd.LocalFrame) => g.length, { metas: ['n', 'float64'] } as never), 'metas', 'meta'],
  ['ConcatOptions', 'concat', () => dd.concat([df(), df()], { interleavePartition: true } as never), 'interleavePartition', 'interleavePartitions'],  ['ToArrayOptions', 'DataFrame.toArray', () => df().select(['y']).toArray({ length: true } as never), 'length', 'lengths'],
  ['ToArrayOptions', 'Series.toArray', () => df().col('y').toArray({ lenghts: true } as never), 'lenghts', 'lengths'],
  ['ToRecordsOptions', 'LocalFrame.toRecords', async () => (await df().compute({ scheduler: 'sync' })).toRecords({ indx: false } as never), 'indx', 'index'],
  // Frame arithmetic aligned on the index, group-by scans, repartition by size, joins (test/dfgaps-*.test.ts).
  ['FrameArithOptions', 'DataFrame.add', () => df().add(df(), { fillvalue: 0 } as never), 'fillvalue', 'fillValue'],
  ['FrameCompareOptions', 'DataFrame.gt', () => df().gt(df(), { axes: 0 } as never), 'axes', 'axis'],
  ['SeriesArithOptions', 'Series.sub', () => df().col('y').sub(df().col('x'), { fillvalue: 0 } as never), 'fillvalue', 'fillValue'],
  ['PartitionSizeOptions', 'DataFrame.repartition', () => df().repartition({ partitionSize: '1MB', schedular: 'sync' } as never), 'schedular', 'scheduler'],
  // The query planner (test/expr-rules.test.ts).
  ['FrameVisualizeOptions', 'visualize', () => df().select(['y']).visualize({ optimised: false } as never), 'optimised', 'optimized'],
];

/** Options types exported from the package that are not an options object of a call (with the reason). */
const NOT_OPTIONS: Record<string, string> = {
  // mapPartitions' trailing `{ meta }` is Dask's meta= keyword: any other trailing object is an argument of the user function.
  MapOptions: 'a trailing { meta } argument, recognised only as exactly that',
};

describe('every options object refuses a misspelt key, naming it', () => {
  it.each(CALLS)('%s: %s', async (_type, fn, call, bad, suggestion) => {
    const e = await errorOf(call);
    expect(e, `${fn} accepted the misspelt option '${bad}'`).toBeInstanceOf(OptionError);
    const msg = (e as Error).message;
    expect(msg.startsWith(`${fn}: unknown option '${bad}' (known: `), msg).toBe(true);
    if (suggestion) expect(msg).toContain(`; did you mean '${suggestion}'?`);
    expect((e as OptionError).option).toBe(bad);
  });

  it('the table covers every exported options type', () => {
    const index = readFileSync(new URL('../src/index.ts', import.meta.url), 'utf8');
    const exported = [...index.matchAll(/\b(\w+(?:Options|Spec))\b/g)].map((m) => m[1]).filter((n) => !n.endsWith('OptionsSchema'));
    const covered = new Set(CALLS.map((c) => c[0]));
    for (const name of new Set(exported)) {
      if (name in NOT_OPTIONS) continue;
      expect(covered.has(name), `no call in the table takes ${name}`).toBe(true);
    }
  });
});

describe('options pandas/Dask have and pdask does not implement are refused by name', () => {
  const refused: [string, () => unknown, string][] = [
    ['readCsv skipfooter', () => dd.readCsv(join(dir, 'a.csv'), { skipfooter: 1 } as never), "readCsv: option 'skipfooter' is not supported: not implemented yet"],
    ['readCsv nrows', () => dd.readCsv(join(dir, 'a.csv'), { nrows: 3 } as never), "readCsv: option 'nrows' is not supported"],
    ['readCsv indexCol', () => dd.readCsv(join(dir, 'a.csv'), { indexCol: 0 } as never), "readCsv: option 'indexCol' is not supported"],
    ['readCsv onBadLines', () => dd.readCsv(join(dir, 'a.csv'), { onBadLines: 'skip' } as never), "readCsv: option 'onBadLines' is not supported"],
    ['readCsv escapechar', () => dd.readCsv(join(dir, 'a.csv'), { escapechar: '\\' } as never), "readCsv: option 'escapechar' is not supported"],
    ['readParquet engine', () => dd.readParquet(join(dir, 'none.parquet'), { engine: 'pyarrow' } as never), "readParquet: option 'engine' is not supported"],
    ['dropna ignoreIndex', () => df().dropna({ ignoreIndex: true } as never), "DataFrame.dropna: option 'ignoreIndex' is not supported: not implemented yet"],
    ['valueCounts bins', () => df().col('x').valueCounts({ bins: 3 } as never), "Series.valueCounts: option 'bins' is not supported"],
    ['valueCounts ascending', () => df().col('x').valueCounts({ ascending: true } as never), "Series.valueCounts: option 'ascending' is not supported"],
    ['groupby sort false', () => df().groupby('x', { sort: false }), "DataFrame.groupby: option 'sort' must be true (groups always come sorted by key"],
    ['groupby asIndex', () => df().groupby('x', { asIndex: false } as never), "DataFrame.groupby: option 'asIndex' is not supported"],
    ['sortValues sortFunction', () => df().sortValues('y', { sortFunction: 'x' } as never), "DataFrame.sortValues: option 'sortFunction' is not supported"],
    ['setIndex partitionSize', () => df().setIndex('x', { partitionSize: '1MB' } as never), "DataFrame.setIndex: option 'partitionSize' is not supported"],
    ['merge indicator', () => df().merge(df(), { on: 'x', indicator: true } as never), "DataFrame.merge: option 'indicator' is not supported"],
    ['toCsv nameFunction', () => df().toCsv(join(dir, 'o-*.csv'), { nameFunction: 'a' } as never), "DataFrame.toCsv: option 'nameFunction' is not supported"],
    ['toParquet writeIndex', () => df().toParquet(join(dir, 'pq2'), { writeIndex: true } as never), "DataFrame.toParquet: option 'writeIndex' is not supported"],
    ['fromColumns name', () => dd.fromColumns({ a: [1] }, { npartitions: 1, name: 'a' } as never), "fromColumns: option 'name' is not supported"],
    ['rename index', () => df().rename({ columns: {}, index: {} } as never), "DataFrame.rename: option 'index' is not supported"],
    ['sum skipna false', () => df().col('y').sum({ skipna: false }), "Series.sum: option 'skipna' must be true (missing values are always skipped"],
    ['sum ddof (only var and std take it)', () => df().col('y').sum({ ddof: 0 }), "Series.sum: option 'ddof' is not supported: only var and std take ddof"],
    ['setIndex sorted with npartitions', () => df().setIndex('x', { sorted: true, npartitions: 2 }), 'DataFrame.setIndex: npartitions applies to the sort, which sorted: true skips'],
  ];
  it.each(refused)('%s', async (_, call, message) => {
    const e = await errorOf(call);
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toContain(message);
  });

  it('the options that are accepted do something (wrong types are named)', async () => {
    expect(await errorOf(() => df().col('y').var({ ddof: -1 }))).toHaveProperty('message', "Series.var: option 'ddof' must be an integer >= 0, got -1 (number)");
    expect(await errorOf(() => df().groupby('x', { ddof: 1.5 }))).toHaveProperty('message', "DataFrame.groupby: option 'ddof' must be an integer >= 0, got 1.5 (number)");
    expect(await errorOf(() => df().head(1, { npartitions: 0 }))).toHaveProperty('message', "DataFrame.head: option 'npartitions' must be a positive integer, or -1 for all, got 0 (number)");
    // ddof changes var (1, 2, 3, 4: squared deviations sum to 5).
    expect(await df().col('y').var({ ddof: 0 }).compute({ scheduler: 'sync' })).toBeCloseTo(5 / 4, 14);
    expect(await df().col('y').var().compute({ scheduler: 'sync' })).toBeCloseTo(5 / 3, 14);
    // The defaults pandas has are accepted: they are what happens.
    expect(Array.from((await df().groupby('x', { sort: true, dropna: true }).col('y').sum().compute({ scheduler: 'sync' })).toArray() as ArrayLike<number>)).toEqual([4, 2, 4]);
    expect(await df().col('y').sum({ skipna: true }).compute({ scheduler: 'sync' })).toBe(10);
  });
});
