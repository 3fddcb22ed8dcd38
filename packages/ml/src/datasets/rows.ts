/**
 * Per-row random streams for the data-set generators, so row i's values depend only on (seed, i):
 * the same array whatever the chunking, and every block made on its own worker. Also a seeded
 * permutation of [0, n) computable one index at a time (a Feistel network with cycle walking),
 * which stands in for scikit-learn's row shuffle without a global permutation.
 */
import { Stream } from '../random';

const mix = (h: number): number => {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
};

/** The stream of row `i` (purpose `tag` keeps the label draws apart from the feature draws). */
export function rowStream(seed: number, i: number, tag: number): Stream {
  return new Stream(mix(seed ^ mix(tag)), mix(i ^ Math.imul(Math.floor(i / 2 ** 32), 0x27d4eb2d)) ^ mix(i + tag));
}

/** A standard normal draw (Box-Muller, one of the pair). */
export function normal(r: Stream): number {
  const u = 1 - r.next();
  const v = r.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Position of row `i` in a seeded permutation of [0, n). */
export function permute(i: number, n: number, seed: number): number {
  if (n <= 1) return i;
  let bits = 2;
  while (2 ** bits < n) bits += 2;
  const half = bits / 2;
  const mask = 2 ** half - 1;
  let x = i;
  do {
    let l = Math.floor(x / 2 ** half);
    let r = x & mask;
    for (let round = 0; round < 4; round++) {
      const f = mix(r ^ mix(seed + round * 0x9e3779b9)) & mask;
      [l, r] = [r, (l ^ f) & mask];
    }
    x = l * 2 ** half + r;
  } while (x >= n);
  return x;
}
