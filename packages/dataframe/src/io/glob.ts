/** Files named by a path or glob pattern. */
import { resolve, sep } from 'node:path';
import { globSync, isDynamicPattern } from 'tinyglobby';

/**
 * The files a pattern names, sorted. tinyglobby matches relative to a directory, so the pattern's
 * static leading directories become that directory.
 */
export function expandPath(pattern: string): string[] {
  const segments = resolve(pattern).split(sep);
  const first = segments.findIndex((s) => isDynamicPattern(s));
  if (first < 0) return [pattern];
  const cwd = segments.slice(0, first).join(sep) || sep;
  return globSync(segments.slice(first).join('/'), { cwd, absolute: true, onlyFiles: true }).sort();
}
