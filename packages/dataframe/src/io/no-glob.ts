/**
 * What `#glob` (package.json `imports`) is in a browser bundle instead of tinyglobby, which needs
 * node:fs: globs name files, and a page has none (the path readers fail with NodeOnlyError first).
 */
import { NodeOnlyError } from './node-only';

export function isDynamicPattern(): boolean {
  return false;
}

export function globSync(): never {
  throw new NodeOnlyError('readCsv/readParquet with a glob pattern', 'node:fs', 'in a browser pass a File, Blob, Response or http(s) URL');
}
