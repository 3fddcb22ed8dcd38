/** Helpers of the numeric sort tests: a reference order and a fixed random stream. */

/** Row positions in a stable sort of `keys`: ascending or descending, NaN last, -0 equal to 0 (a comparator sort, the reference for the typed-array sorts). */
export function stableOrder(keys: ArrayLike<number>, ascending: boolean): number[] {
  const idx = Array.from({ length: keys.length }, (_, i) => i);
  return idx.sort((i, j) => {
    const a = keys[i];
    const b = keys[j];
    if (a !== a || b !== b) return a !== a && b !== b ? i - j : a !== a ? 1 : -1;
    const d = ascending ? (a < b ? -1 : a > b ? 1 : 0) : a > b ? -1 : a < b ? 1 : 0;
    return d || i - j;
  });
}

/** A fixed xorshift stream in [0, 1). */
export function stream(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}
