/**
 * The letters of a blockwise call: each letter's length and block sizes across the arguments,
 * and which argument dimensions broadcast. As in Dask (`broadcast_dimensions` with its `(1,)`
 * sentinel), a dimension of length 1 paired with a longer one of the same letter does not take
 * part in chunk unification: its single block is read by every block along that letter.
 */
import { commonChunks, sameChunks } from '../chunks';

export interface IndexedArg {
  /** Position of the argument in the call (for messages). */
  readonly arg: number;
  readonly ix: string;
  readonly shape: readonly number[];
  readonly chunks: readonly (readonly number[])[];
}

export interface LetterPlan {
  /** Block sizes of every letter: the common refinement of its non-broadcast dimensions. */
  readonly chunks: Map<string, number[]>;
  /** Per indexed argument (in the order given), per dimension: whether that dimension broadcasts. */
  readonly broadcast: readonly (readonly boolean[])[];
}

const sameLength = (a: number, b: number): boolean => a === b || (Number.isNaN(a) && Number.isNaN(b));

export function planLetters(args: readonly IndexedArg[], alignArrays: boolean): LetterPlan {
  // A repeated letter inside one argument is a diagonal: its dimensions must match each other
  // exactly (NumPy's einsum rule), broadcasting does not apply between them.
  for (const a of args) {
    [...a.ix].forEach((c, d) => {
      const first = a.ix.indexOf(c);
      if (first < d && !sameLength(a.shape[first], a.shape[d])) {
        throw new RangeError(`blockwise: index '${a.ix}' of argument ${a.arg} repeats '${c}' over dimensions of lengths ${a.shape[first]} and ${a.shape[d]} (a diagonal needs equal lengths)`);
      }
    });
  }
  const lengths = new Map<string, { len: number; arg: number; d: number; ix: string }>();
  for (const a of args) {
    [...a.ix].forEach((c, d) => {
      const len = a.shape[d];
      if (len === 1) return;
      const seen = lengths.get(c);
      if (!seen) lengths.set(c, { len, arg: a.arg, d, ix: a.ix });
      else if (!sameLength(seen.len, len)) {
        throw new RangeError(`blockwise: index '${c}' has length ${seen.len} in argument ${seen.arg} and ${len} in argument ${a.arg} (dimension ${d} of index '${a.ix}'); only length 1 broadcasts`);
      }
    });
  }
  const letterLength = (c: string): number => lengths.get(c)?.len ?? 1;
  const broadcast = args.map((a) => [...a.ix].map((c, d) => a.shape[d] === 1 && letterLength(c) !== 1));

  const chunks = new Map<string, number[]>();
  args.forEach((a, k) => {
    [...a.ix].forEach((c, d) => {
      if (broadcast[k][d]) return;
      const mine = [...a.chunks[d]];
      const u = chunks.get(c);
      if (!u) {
        chunks.set(c, mine);
        return;
      }
      if (sameChunks(u, mine)) return;
      if (!alignArrays) throw new RangeError(`blockwise: chunks of index '${c}' differ between arguments ([${u.join(', ')}] and [${mine.join(', ')}]); rechunk them or leave alignArrays on`);
      if (u.some(Number.isNaN) || mine.some(Number.isNaN)) throw new RangeError(`blockwise: index '${c}' has unknown (NaN) chunk sizes that differ between arguments; call computeChunkSizes() first`);
      chunks.set(c, commonChunks(u, mine));
    });
  });
  return { chunks, broadcast };
}

/** Letters of an index in order of first appearance, each once. */
export const uniqueLetters = (ix: string): string[] => [...new Set(ix)];
