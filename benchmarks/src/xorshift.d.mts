/** xorshift32 in [0, 1) from `seed` (see xorshift.mjs). */
export function xorshift(seed: number): () => number;
