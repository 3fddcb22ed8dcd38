/**
 * The rows of a fold as a lazy array. KFold's folds (and most others) are a few runs of
 * consecutive positions: a slice per run, concatenated, builds in microseconds and copies at most
 * the blocks a run cuts, where `slice` by a position list tokenizes every position and gathers
 * every row. Either way the rows come in the fold's order in `slice`'s blocks (one per source
 * block the fold touches), so every computation over them gives the same values.
 */
import { concatenate, rechunk, type ChunkedArray } from '@pdask/array';

/** Runs of consecutive positions, [start, end) each, or null when there are too many to pay off. */
function runs(idx: Int32Array): [number, number][] | null {
  const out: [number, number][] = [];
  for (let i = 0; i < idx.length; ) {
    let j = i + 1;
    while (j < idx.length && idx[j] === idx[j - 1] + 1) j++;
    if (idx[j - 1] < idx[i]) return null;
    out.push([idx[i], idx[j - 1] + 1]);
    if (out.length > 64) return null;
    i = j;
  }
  // Ascending runs only (a permuted fold keeps its own order through `slice`).
  for (let r = 1; r < out.length; r++) if (out[r][0] < out[r - 1][1]) return null;
  return out;
}

export function foldRows(a: ChunkedArray<unknown>, idx: Int32Array): ChunkedArray<unknown> {
  const rs = idx.length > 0 ? runs(idx) : null;
  const tail = a.ndim === 2 ? [':'] : [];
  if (!rs) return (a.ndim === 2 ? a.slice(idx, ':') : a.slice(idx)) as ChunkedArray<unknown>;
  const parts = rs.map(([s, e]) => a.slice(`${s}:${e}`, ...tail) as ChunkedArray<unknown>);
  const joined = parts.length === 1 ? parts[0] : (concatenate(parts, 0) as ChunkedArray<unknown>);
  // `slice`'s blocks: the positions within each source block (none empty). Runs that meet in one
  // source block are merged back, so reductions sum in the same order as over `slice`'s result.
  const want = perSourceBlock(a.chunks[0], idx);
  const have = joined.chunks[0].filter((c) => c > 0);
  if (have.length === want.length && have.every((c, i) => c === want[i]) && !joined.chunks[0].includes(0)) return joined;
  return rechunk(joined, [want, ...joined.chunks.slice(1).map((c) => [...c])]) as ChunkedArray<unknown>;
}

/** How many of the (ascending) positions fall in each source block, empty blocks left out. */
function perSourceBlock(rows: readonly number[], idx: Int32Array): number[] {
  const out: number[] = [];
  let b = 0;
  let end = rows[0] ?? 0;
  let count = 0;
  for (const p of idx) {
    while (p >= end) {
      if (count > 0) out.push(count);
      count = 0;
      end += rows[++b];
    }
    count++;
  }
  if (count > 0) out.push(count);
  return out;
}
