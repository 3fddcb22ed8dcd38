/**
 * The README's NumPy/Dask -> pdask spelling table keeps up with the package: every export
 * (functions, classes, the random/linalg/fft/ma namespaces) appears in its pdask column as
 * `da.<name>`, every public member of ChunkedArray as `x.<name>`, of MaskedArray as `m.<name>` and
 * of ComplexArray as `z.<name>`; and everything the column names exists.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dottedPaths, members, pdaskColumn } from '../../../test/helpers/readme-table';
import * as da from '../src/index';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');


const column = pdaskColumn(README, '## Spelling NumPy and Dask in TypeScript');
const named = dottedPaths(column, 'da');
const exported = da as unknown as Record<string, unknown>;
const NAMESPACES = ['random', 'linalg', 'fft', 'ma'] as const;

/** Every export by its path: top-level names and the members of the namespaces. */
const exportPaths = (): string[] => [
  ...Object.keys(exported).filter((k) => !(NAMESPACES as readonly string[]).includes(k)),
  ...NAMESPACES.flatMap((ns) => Object.keys(exported[ns] as object).map((k) => `${ns}.${k}`)),
];

// Implementation hooks of core's collections and of the classes (not API).
const INTERNAL = ['constructor', 'tokenKey', 'computeOptions', 'reduceBy', 'layer', 'materialized'];

describe('README spelling table', () => {
  it('is one table of well over a hundred rows', () => {
    expect(column.split('\n').length).toBeGreaterThan(100);
  });

  it('names every export, namespace member included, as da.<name>', () => {
    const missing = exportPaths().filter((p) => {
      // The fft/ma namespaces re-export classes also exported at the top level.
      const top = p.split('.').pop()!;
      return !named.has(p) && !(p.includes('.') && /^[A-Z]/.test(top) && named.has(top) && exported[top] !== undefined);
    });
    expect(missing).toEqual([]);
  });

  it('names every public member of ChunkedArray as x.<name>', () => {
    const methods = dottedPaths(column, 'x');
    const fields = ['shape', 'dtype', 'chunks', 'name'];
    const want = [...members(da.ChunkedArray, INTERNAL), ...fields];
    expect(want).toContain('persist');
    expect(want.filter((k) => !methods.has(k))).toEqual([]);
  });

  it('names every public member of MaskedArray as m.<name> and of ComplexArray as z.<name>', () => {
    const base = Object.getPrototypeOf(da.ChunkedArray.prototype) as object; // core's CollectionBase
    const m = dottedPaths(column, 'm');
    const z = dottedPaths(column, 'z');
    expect(members(da.ma.MaskedArray, INTERNAL, base).filter((k) => !m.has(k))).toEqual([]);
    expect(members(da.ComplexArray, INTERNAL, base).filter((k) => !z.has(k))).toEqual([]);
  });

  it('names nothing that does not exist', () => {
    const resolve = (path: string): unknown => path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], exported);
    expect([...named].filter((p) => resolve(p) === undefined)).toEqual([]);
    const x = da.ones([2, 2], { chunks: 1 });
    expect([...dottedPaths(column, 'x')].filter((k) => !(k in x))).toEqual([]);
    const masked = da.ma.maskedInvalid(x);
    expect([...dottedPaths(column, 'm')].filter((k) => !(k in masked))).toEqual([]);
    const complex = da.fft.complex(x, x);
    expect([...dottedPaths(column, 'z')].filter((k) => !(k in complex))).toEqual([]);
  });
});
