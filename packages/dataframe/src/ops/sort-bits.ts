/**
 * A full stable LSD radix sort of float64 keys by all 64 bits: the keys turned into unsigned
 * integers that order as the numbers do ("order bits", in two Int32Arrays of the high and low
 * words), then six 11-bit passes. sort-window.ts uses it for the runs of keys that its 24-bit
 * window cannot tell apart.
 */

const BITS = 11;
const RADIX = 1 << BITS;
const MASK = RADIX - 1;

/**
 * The high order word of a key that is not NaN, from its raw high word `h` (0 for -0): negative
 * numbers have every bit flipped, others the sign bit set, so that unsigned order is numeric
 * order; descending, the complement. Small enough for V8 to inline into the loops that call it.
 */
export function orderHigh(h: number, ascending: boolean): number {
  const o = h < 0 ? ~h : h | 0x80000000;
  return ascending ? o : ~o;
}

/** The low order word of that key, from its raw words `h` and `l` (both 0 for -0). */
export function orderLow(h: number, l: number, ascending: boolean): number {
  const o = h < 0 ? ~l : l;
  return ascending ? o : ~o;
}

/**
 * Each key's order bits: negative numbers with every bit flipped, others with the sign bit set
 * (then unsigned order is numeric order, -0 taken as 0); descending, the complement, kept below
 * the missing keys' all-ones. Int32Array storage of the unsigned words: reading a Uint32Array's
 * values of 2^31 and above gives doubles, which made every pass several times slower.
 */
export function orderBits(keys: Float64Array, ascending: boolean): { hi: Int32Array; lo: Int32Array } {
  const n = keys.length;
  const words = new Int32Array(keys.buffer, keys.byteOffset, 2 * n);
  const hi = new Int32Array(n);
  const lo = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    let h = -1;
    let l = -1;
    if (k === k) {
      const rh = k !== 0 ? words[2 * i + 1] | 0 : 0;
      h = orderHigh(rh, ascending);
      l = orderLow(rh, k !== 0 ? words[2 * i] | 0 : 0, ascending);
      if (!ascending && h === -1 && l === -1) l = -2;
    }
    hi[i] = h;
    lo[i] = l;
  }
  return { hi, lo };
}

/** The stable order of the keys whose order bits are `hi`, `lo` (both arrays are overwritten). */
export function bitsOrder(hiIn: Int32Array, loIn: Int32Array): Int32Array {
  const n = hiIn.length;
  let hi = hiIn;
  let lo = loIn;
  let idx: Int32Array = Int32Array.from({ length: n }, (_, i) => i);
  const counts = new Int32Array(6 * RADIX);
  for (let i = 0; i < n; i++) {
    const h = hi[i];
    const l = lo[i];
    counts[l & MASK]++;
    counts[RADIX + ((l >>> BITS) & MASK)]++;
    counts[2 * RADIX + ((l >>> (2 * BITS)) & MASK)]++;
    counts[3 * RADIX + (h & MASK)]++;
    counts[4 * RADIX + ((h >>> BITS) & MASK)]++;
    counts[5 * RADIX + ((h >>> (2 * BITS)) & MASK)]++;
  }
  let hi2: Int32Array = new Int32Array(n);
  let lo2: Int32Array = new Int32Array(n);
  let idx2: Int32Array = new Int32Array(n);
  // A digit all rows share moves nothing; the last pass that moves rows need not move their keys.
  const moves = n === 0 ? [] : [0, 1, 2, 3, 4, 5].filter((pass) => counts[pass * RADIX + (((pass < 3 ? lo[0] : hi[0]) >>> ((pass % 3) * BITS)) & MASK)] !== n);
  for (const pass of moves) {
    const src = pass < 3 ? lo : hi;
    const shift = (pass % 3) * BITS;
    const pos = counts.subarray(pass * RADIX, (pass + 1) * RADIX);
    let at = 0;
    for (let d = 0; d < RADIX; d++) {
      const c = pos[d];
      pos[d] = at;
      at += c;
    }
    if (pass === moves[moves.length - 1]) {
      for (let i = 0; i < n; i++) idx2[pos[(src[i] >>> shift) & MASK]++] = idx[i];
      return idx2;
    }
    for (let i = 0; i < n; i++) {
      const j = pos[(src[i] >>> shift) & MASK]++;
      hi2[j] = hi[i];
      lo2[j] = lo[i];
      idx2[j] = idx[i];
    }
    let t = hi;
    hi = hi2;
    hi2 = t;
    t = lo;
    lo = lo2;
    lo2 = t;
    t = idx;
    idx = idx2;
    idx2 = t;
  }
  return idx;
}
