/**
 * Issue 11's CSV workload: read 5 CSV files of 2e6 rows (ints, floats, a string key, timestamps),
 * group by the string key, and describe the numeric columns, in one compute (the files are read
 * once), side by side with pandas (read file by file, concatenated) and Dask DataFrame on threads.
 */
import { closeThreadPools, compute } from '@pdask/core';
import { readCsv, type DataFrame, type LocalFrame, type LocalSeries } from '@pdask/dataframe';
import { CSV_FILES, CSV_KEYS, CSV_ROWS, ensureCsvDataset } from '../data/csv-dataset.js';
import type { PyRun, Workload } from '../harness.js';

function check(means: LocalSeries, stats: LocalFrame): void {
  const m = means.toArray() as Float64Array;
  let avg = 0;
  for (const v of m) avg += v / m.length;
  if (means.length !== CSV_KEYS || Math.abs(avg - 500) > 5) throw new Error(`wrong group means:\n${String(means)}`);
  // Rows: count, mean, std, min, 25%, 50%, 75%, max.
  const count = stats.col('id').toArray() as Float64Array;
  const x = stats.col('x').toArray() as Float64Array;
  if (count[0] !== CSV_FILES * CSV_ROWS || Math.abs(x[1] - 500) > 5) throw new Error(`wrong describe():\n${String(stats)}`);
}

async function run(glob: string): Promise<void> {
  const ddf: DataFrame = await readCsv(glob, { parseDates: ['when'] });
  const [means, stats] = await compute(ddf.groupby('name').col('x').mean(), ddf.describe(), { scheduler: 'threads' });
  check(means, stats);
}

const py = (system: string, fn: string): PyRun => ({ system, file: 'dataframe_csv.py', setup: 'setup', run: fn, requires: ['pandas', 'dask'] });

const csv: Workload = {
  id: 'dataframe-csv-groupby-describe',
  group: 'dataframe',
  description: `readCsv of ${CSV_FILES} files x ${CSV_ROWS.toLocaleString('en')} rows (int, float, string key, timestamp, int) + groupby on the string key (${CSV_KEYS} groups) mean + describe(), one compute. Target (issue 11): at least 3x Dask threads, and faster than pandas.`,
  items: { count: CSV_FILES * CSV_ROWS, unit: 'rows' },
  reference: 'dask-threads',
  repeat: 3,
  js: [{ system: 'pdask-threads', setup: ensureCsvDataset, run, teardown: () => closeThreadPools() }],
  python: [py('pandas', 'run_pandas'), py('dask-threads', 'run_dask_threads')],
  targets: [
    { system: 'pdask-threads', vs: 'dask-threads', atLeast: 3 },
    { system: 'pdask-threads', vs: 'pandas', atLeast: 1 },
  ],
};

export const dataframeCsvWorkloads: Workload[] = [csv];
