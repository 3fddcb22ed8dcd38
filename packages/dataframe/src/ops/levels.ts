/**
 * Group keys as levels: a group is a position, and level j holds the value of key column j at each
 * position. One key column is one level; several key columns (a group-by on ['a', 'b']) are
 * several levels, and a row's group is the combination of its codes in every level.
 */
import { kernels } from './kernels';
import { NULL_STRING_KEY } from './null-keys';
import type { KeyKind, KeyValues, PartitionKeys } from './keys';
import type { TypeDesc } from './types';

export interface KeyLevel {
  kind: KeyKind;
  type: TypeDesc;
  values: KeyValues;
}

/** Dense codes (−1 = null) and their values, for one key column of one partition. */
function denseCodes(pk: PartitionKeys): { codes: Int32Array; uniques: KeyValues } {
  if (pk.uniques) return { codes: pk.codes, uniques: pk.uniques };
  // Integer keys that were their own codes: factorised so that combinations stay small numbers.
  const { codes, uniques } = kernels().factorize(pk.codes);
  return { codes, uniques };
}

/**
 * One code per row for the combination of several levels' codes (−1 where any is −1), numbered
 * alike across `parts` (each part: one code array per level, equal lengths). `sizes` are the
 * levels' numbers of distinct codes. `reps[j][c]` is level j's code of combination c.
 */
export function combineCodes(parts: readonly (readonly Int32Array[])[], sizes: readonly number[]): { codes: Int32Array[]; reps: Int32Array[] } {
  const L = sizes.length;
  // Mixed-radix numbers: combination = Σ code_j · stride_j, exact while the product fits.
  const strides = new Array<number>(L);
  let product = 1;
  for (let j = L - 1; j >= 0; j--) {
    strides[j] = product;
    product *= Math.max(sizes[j], 1);
  }
  const mixed = parts.map((cols) => {
    const n = cols[0]?.length ?? 0;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let x = 0;
      for (let j = 0; j < L; j++) {
        const c = cols[j][i];
        if (c < 0) {
          x = -1;
          break;
        }
        x += c * strides[j];
      }
      out[i] = x;
    }
    return out;
  });
  let codes: Int32Array[];
  let uniques: ArrayLike<number>;
  if (product <= 2 ** 31) {
    // The common case: the kernels' hash table over int32 combinations, nulls marked invalid.
    const f = kernels().int32Factorizer();
    try {
      codes = mixed.map((m) => {
        const valid = new Uint8Array((m.length + 7) >> 3);
        for (let i = 0; i < m.length; i++) if (m[i] >= 0) valid[i >> 3] |= 1 << (i & 7);
        return f.add(Int32Array.from(m), { bitmap: valid, bit: 0 });
      });
      uniques = f.uniques();
    } finally {
      f.dispose();
    }
  } else if (product <= 2 ** 53) {
    const seen = new Map<number, number>();
    const u: number[] = [];
    codes = mixed.map((m) =>
      Int32Array.from(m, (x) => {
        if (x < 0) return -1;
        let c = seen.get(x);
        if (c === undefined) {
          c = u.length;
          seen.set(x, c);
          u.push(x);
        }
        return c;
      }),
    );
    uniques = u;
  } else {
    throw new RangeError(`grouping by ${L} columns with ${sizes.join(' × ')} distinct keys in one task: too many combinations (more than 2^53)`);
  }
  const reps = strides.map((st, j) => Int32Array.from(uniques, (u) => Math.floor(u / st) % Math.max(sizes[j], 1)));
  return { codes, reps };
}

/** `values` at `idx` (one KeyValues kind in, the same kind out). */
export function gather(values: KeyValues, idx: ArrayLike<number>): KeyValues {
  if (Array.isArray(values)) return Array.from(idx, (i) => (values as string[])[i]);
  if (values instanceof Int32Array) return Int32Array.from(idx, (i) => values[i]);
  return Float64Array.from(idx, (i) => (values as Float64Array)[i]);
}

/** One code per row for the combination of several key columns, and the levels of each code. */
export function combineKeys(pks: readonly PartitionKeys[]): { codes: Int32Array; levels: KeyLevel[] } {
  const dense = pks.map(denseCodes);
  const { codes, reps } = combineCodes([dense.map((d) => d.codes)], dense.map((d) => d.uniques.length));
  const levels = pks.map((pk, j) => ({ kind: pk.kind, type: pk.type, values: gather(dense[j].uniques, reps[j]) }));
  return { codes: codes[0], levels };
}

/** Compares two keys of one level (numbers, or strings by UTF-16 code units as JS sorts). */
export function compareKeys(values: KeyValues, a: number, b: number): number {
  const x = values[a];
  const y = values[b];
  // Missing keys (kept by dropna: false) sort last, as pandas does.
  if (typeof x === 'string') return x === y ? 0 : x === NULL_STRING_KEY ? 1 : y === NULL_STRING_KEY ? -1 : x < (y as string) ? -1 : 1;
  if (x !== x) return y !== y ? 0 : 1;
  if (y !== y) return -1;
  return (x as number) - (y as number);
}
