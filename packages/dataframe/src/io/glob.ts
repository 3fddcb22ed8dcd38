/** Files named by paths or glob patterns, and the options every reader shares. */
import { parseBytes, type OptionRule } from '@pdask/core';
// tinyglobby in Node; io/no-glob.ts in browser bundles (package.json "imports": globs need node:fs).
import * as tinyglobby from '#glob';
import { nodeBuiltin } from './node-only';
const pathMod = () => nodeBuiltin('node:path', 'readCsv/readParquet with a path');

/**
 * The files a pattern names, sorted. tinyglobby matches relative to a directory, so the pattern's
 * static leading directories become that directory.
 */
export function expandPath(pattern: string): string[] {
  const segments = pathMod().resolve(pattern).split(pathMod().sep);
  const first = segments.findIndex((s) => tinyglobby.isDynamicPattern(s));
  if (first < 0) return [pattern];
  const cwd = segments.slice(0, first).join(pathMod().sep) || pathMod().sep;
  return tinyglobby.globSync(segments.slice(first).join('/'), { cwd, absolute: true, onlyFiles: true }).sort();
}

/** Every file the patterns name; a pattern that names none is an error (`fn` names the reader). */
export function expandPaths(fn: string, pathOrGlob: string | readonly string[]): string[] {
  const patterns = typeof pathOrGlob === 'string' ? [pathOrGlob] : [...pathOrGlob];
  if (patterns.length === 0) throw new Error(`${fn}: no path given`);
  return patterns.flatMap((p) => {
    const found = expandPath(p);
    if (found.length === 0) throw new Error(`${fn}: no file matches '${p}'`);
    return found;
  });
}

/** What `blocksize` takes (its value is checked by blocksizeOf). */
export const blocksizeRule: OptionRule = { anyOf: ['number', 'string'] };

/** The `blocksize` option in bytes (a number or a string such as '64MiB'; default 64 MiB). */
export function blocksizeOf(fn: string, value: number | string | undefined): number {
  const bytes = value === undefined ? 64 * 2 ** 20 : typeof value === 'string' ? parseBytes(value) : value;
  if (!Number.isInteger(bytes) || bytes < 1) throw new RangeError(`${fn}: blocksize must be a positive number of bytes, got ${String(value)}`);
  return bytes;
}
