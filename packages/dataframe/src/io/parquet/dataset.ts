/**
 * The files a readParquet path names: a file, a glob, or a directory (Dask reads every data file
 * under it, as pyarrow's dataset does), with the hive partitions (`year=2024/…`) of each file's
 * directories.
 */
import type { TypeDesc } from '../../ops/types';
import { expandPaths } from '../glob';
import type { Cell } from './filters';
import { nodeBuiltin } from '../node-only';
const fsMod = () => nodeBuiltin('node:fs', 'readParquet with a path');
const pathMod = () => nodeBuiltin('node:path', 'readParquet with a path');

/** Dask's parquet_file_extension: a directory's other files (e.g. `_SUCCESS`, `.crc`) are not data. */
const EXTENSIONS = ['.parq', '.parquet', '.pq'];
/** pyarrow's spelling of a null partition value. */
export const HIVE_NULL = '__HIVE_DEFAULT_PARTITION__';

export interface DataFile {
  path: string;
  /** Partition values from `key=value` directories below the dataset root, outermost first. */
  hive: [string, string | null][];
}

/** Numbers in names compare as numbers (part.2 before part.10), as Dask's natural_sort_key does. */
const natural = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

/** Files under a directory, skipping hidden and `_`-prefixed entries (`_metadata`, `_SUCCESS`, `.crc`). */
function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of fsMod().readdirSync(dir, { withFileTypes: true }).sort((a, b) => natural(a.name, b.name))) {
    if (e.name.startsWith('.') || e.name.startsWith('_')) continue;
    const p = pathMod().join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (EXTENSIONS.some((x) => e.name.endsWith(x))) out.push(p);
  }
  return out;
}

function hiveOf(root: string, path: string): [string, string | null][] {
  const dirs = pathMod().relative(root, path).split(pathMod().sep).slice(0, -1);
  const out: [string, string | null][] = [];
  for (const d of dirs) {
    const eq = d.indexOf('=');
    if (eq <= 0) continue;
    const raw = decodeURIComponent(d.slice(eq + 1));
    out.push([decodeURIComponent(d.slice(0, eq)), raw === HIVE_NULL ? null : raw]);
  }
  return out;
}

/** The longest directory every path lies under: the root hive keys are counted from. */
function commonDir(paths: readonly string[]): string {
  const split = paths.map((p) => pathMod().resolve(p).split(pathMod().sep).slice(0, -1));
  let n = split[0].length;
  for (const s of split) {
    let k = 0;
    while (k < n && k < s.length && s[k] === split[0][k]) k++;
    n = k;
  }
  return split[0].slice(0, n).join(pathMod().sep) || pathMod().sep;
}

export function dataFiles(fn: string, pathOrGlob: string | readonly string[]): DataFile[] {
  const inputs = typeof pathOrGlob === 'string' ? [pathOrGlob] : [...pathOrGlob];
  const out: DataFile[] = [];
  const globbed: string[] = [];
  for (const p of inputs) {
    let isDir = false;
    try {
      isDir = typeof p === 'string' && fsMod().statSync(p).isDirectory();
    } catch {
      // Not an existing path: a glob, or a missing file that expandPaths names.
    }
    if (isDir) {
      const root = pathMod().resolve(p);
      const files = walk(root);
      if (files.length === 0) throw new Error(`${fn}: the directory '${p}' holds no Parquet file (${EXTENSIONS.join(', ')})`);
      out.push(...files.map((f) => ({ path: f, hive: hiveOf(root, f) })));
    } else {
      globbed.push(p);
    }
  }
  if (globbed.length > 0) {
    const files = expandPaths(fn, globbed);
    // A glob over a hive layout (`data/*/*.parquet`) gives partition values from below the files' common directory.
    const root = commonDir(files.map((f) => pathMod().resolve(f)));
    out.push(...files.map((f) => ({ path: f, hive: hiveOf(root, pathMod().resolve(f)) })));
  }
  return out;
}

/** A hive partition key as a column: its type is inferred from every file's value, as pyarrow's partitioning does. */
export interface HiveColumn {
  name: string;
  type: TypeDesc;
  /** The value of each file, in the order of the files. */
  values: (Cell | null)[];
}

const INT = /^[-+]?\d+$/;

export function hiveColumns(fn: string, files: readonly DataFile[]): HiveColumn[] {
  const keys = files[0].hive.map(([k]) => k);
  for (const f of files) {
    const ks = f.hive.map(([k]) => k);
    if (ks.join('/') !== keys.join('/')) throw new Error(`${fn}: ${f.path} is partitioned by ${ks.map((k) => `'${k}'`).join(', ') || 'nothing'} but ${files[0].path} by ${keys.map((k) => `'${k}'`).join(', ') || 'nothing'}`);
  }
  return keys.map((name, j) => {
    const raw = files.map((f) => f.hive[j][1]);
    const present = raw.filter((v): v is string => v !== null);
    if (present.length > 0 && present.every((v) => INT.test(v))) {
      const big = present.map((v) => BigInt(v));
      const int32 = big.every((v) => v >= -(2n ** 31n) && v < 2n ** 31n);
      const type: TypeDesc = { id: 'int', bits: int32 ? 32 : 64, signed: true };
      return { name, type, values: raw.map((v) => (v === null ? null : int32 ? Number(v) : BigInt(v))) };
    }
    return { name, type: { id: 'dict', value: { id: 'utf8' }, index: { id: 'int', bits: 32, signed: true } }, values: raw };
  });
}
