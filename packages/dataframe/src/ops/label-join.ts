/**
 * Matching rows of two partitions by their index labels (pandas' join on the index, and the
 * alignment of operands): row positions of each side per output row, -1 where a side has no row.
 * Duplicate labels give every pair, as pandas does.
 */
import { compareSortKeys, type SortKey } from './sort';

export type LabelHow = 'left' | 'right' | 'inner' | 'outer';

export interface LabelMatch {
  left: Int32Array;
  right: Int32Array;
}

function positions(keys: readonly (SortKey | null)[]): Map<SortKey | null, number[]> {
  const m = new Map<SortKey | null, number[]>();
  keys.forEach((k, i) => {
    const list = m.get(k);
    if (list) list.push(i);
    else m.set(k, [i]);
  });
  return m;
}

const sameLabels = (a: readonly (SortKey | null)[], b: readonly (SortKey | null)[]): boolean => a.length === b.length && a.every((k, i) => k === b[i]);

/**
 * Rows of the join. `left`/`inner` keep the left's order (the right's matches in their order),
 * `right` the right's, and `outer` sorts the union of labels (missing labels last), as pandas'
 * join and alignment do; identical label lists are matched row by row, unsorted, as pandas leaves
 * equal indexes alone.
 */
export function matchLabels(a: readonly (SortKey | null)[], b: readonly (SortKey | null)[], how: LabelHow): LabelMatch {
  if (sameLabels(a, b)) {
    const id = Int32Array.from(a, (_, i) => i);
    return { left: id, right: id.slice() };
  }
  const L: number[] = [];
  const R: number[] = [];
  if (how === 'left' || how === 'inner' || how === 'right') {
    const [outer, inner] = how === 'right' ? [b, a] : [a, b];
    const other = positions(inner);
    outer.forEach((k, i) => {
      const hits = k === null ? undefined : other.get(k);
      if (!hits) {
        if (how !== 'inner') (how === 'right' ? (L.push(-1), R.push(i)) : (L.push(i), R.push(-1)));
        return;
      }
      for (const j of hits) how === 'right' ? (L.push(j), R.push(i)) : (L.push(i), R.push(j));
    });
  } else {
    const pa = positions(a);
    const pb = positions(b);
    const keys = [...new Set([...pa.keys(), ...pb.keys()])];
    keys.sort((x, y) => (x === null || y === null ? (x === y ? 0 : x === null ? 1 : -1) : compareSortKeys(x, y)));
    for (const k of keys) {
      const la = pa.get(k) ?? [-1];
      const lb = k === null ? [-1] : (pb.get(k) ?? [-1]);
      // Missing labels never match: each side's appear on their own rows.
      if (k === null) {
        for (const i of pa.get(k) ?? []) (L.push(i), R.push(-1));
        for (const j of pb.get(k) ?? []) (L.push(-1), R.push(j));
        continue;
      }
      for (const i of la) for (const j of lb) (L.push(i), R.push(j));
    }
  }
  return { left: Int32Array.from(L), right: Int32Array.from(R) };
}
