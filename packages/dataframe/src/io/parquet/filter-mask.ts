/**
 * The rows readParquet's `filters` keep, as a byte mask: a comparison of a numeric column read as
 * an Arrow vector with a number runs as one loop over its typed array; other clauses (strings,
 * bigints, timestamps, hive values) test each row with filters.ts' `holds`, which defines the
 * semantics (a missing or NaN cell satisfies no clause).
 */
import { DataType, type Vector } from 'apache-arrow';
import { andCompare, type ComparedNumbers } from './compare-numbers';
import { holds, type Cell, type Clause, type Predicate } from './filters';


/** The one typed array of a numeric (non-bigint) vector with its validity, or undefined. */
function numbersOf(v: Vector): { x: ComparedNumbers; valid: Uint8Array | null } | undefined {
  const t = v.type as DataType;
  if (v.data.length !== 1 || !(DataType.isFloat(t) || (DataType.isInt(t) && t.bitWidth < 64))) return undefined;
  const d = v.data[0];
  if (d.offset !== 0) return undefined;
  return { x: (d.values as ComparedNumbers).subarray(0, d.length), valid: d.nullCount > 0 && d.nullBitmap && d.nullBitmap.length > 0 ? d.nullBitmap : null };
}

/** ANDs the clause into `m` with a typed loop; false when the clause needs the per-row path. */
function numericClause(c: Clause, v: Vector, m: Uint8Array): boolean {
  const col = numbersOf(v);
  const w = c.values[0];
  if (!col || c.op === 'in' || c.op === 'not in' || typeof w !== 'number') return false;
  const { x, valid } = col;
  const n = x.length;
  andCompare(x, n, c.op, w, m);
  if (valid) for (let i = 0; i < n; i++) if (((valid[i >> 3] >> (i & 7)) & 1) === 0) m[i] = 0;
  return true;
}

/**
 * 1 where some branch of the predicate holds. `vectors` are columns read as Arrow vectors, `cells`
 * columns decoded to cells, `fixed` the hive values of the file.
 */
export function filterMask(p: Predicate, n: number, vectors: ReadonlyMap<string, Vector>, cells: ReadonlyMap<string, ArrayLike<unknown>>, fixed: ReadonlyMap<string, Cell | null>): Uint8Array {
  // One branch (a plain list of clauses) is ANDed straight into the result.
  const out = new Uint8Array(n);
  if (p.length === 1) out.fill(1);
  for (const branch of p) {
    const m = p.length === 1 ? out : new Uint8Array(n).fill(1);
    for (const c of branch) {
      if (fixed.has(c.column)) {
        if (!holds(c, fixed.get(c.column))) m.fill(0);
        continue;
      }
      const v = vectors.get(c.column);
      if (v && numericClause(c, v, m)) continue;
      const cellAt = v ? (i: number) => v.get(i) as Cell | null : (i: number) => (cells.get(c.column)?.[i] ?? null) as Cell | null;
      for (let i = 0; i < n; i++) if (m[i] && !holds(c, cellAt(i))) m[i] = 0;
    }
    if (m !== out) for (let i = 0; i < n; i++) out[i] |= m[i];
  }
  return out;
}
