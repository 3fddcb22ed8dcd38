/**
 * groupby's shuffle: every input partition is split by key hash into one piece per output
 * partition; each output partition then gathers its pieces (one from every input) and groups them.
 */
import { hashKey, KeyTable } from './keys';
import { getKey, userError, type KeyGetter } from './spec';

/** Keys and elements bound for one output partition. */
type Piece = [keys: unknown[], values: unknown[]];

export const shuffleSplit = (p: number, grouper: KeyGetter, part: readonly unknown[], m: number): Piece[] => {
  const pieces: Piece[] = [];
  for (let j = 0; j < m; j++) pieces.push([[], []]);
  let i = 0;
  try {
    for (; i < part.length; i++) {
      const x = part[i];
      const k = getKey(grouper, x);
      const piece = pieces[hashKey(k) % m];
      piece[0].push(k);
      piece[1].push(x);
    }
  } catch (e) {
    throw userError(e, 'groupby', p, i);
  }
  return pieces;
};

/** `[key, elements]` pairs of one output partition, keys in first-seen order. */
export const shuffleCollect = (pieces: readonly Piece[]): [unknown, unknown[]][] => {
  const t = new KeyTable();
  const groups: unknown[][] = [];
  for (const [keys, values] of pieces) {
    for (let i = 0; i < keys.length; i++) {
      const s = t.slot(keys[i]);
      if (s < 0) groups.push([values[i]]);
      else groups[s].push(values[i]);
    }
  }
  return t.keys.map((k, i) => [k, groups[i]]);
};
