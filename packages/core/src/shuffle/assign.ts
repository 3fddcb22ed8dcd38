/**
 * Which worker owns each output partition of a peer-to-peer shuffle (Dask's range sharding):
 * contiguous blocks of outputs per worker, so neighbouring outputs (a sort's ranges) land together
 * and every worker owns floor or ceil of outputs/workers of them.
 */

/** The position, among `nworkers` workers, of the owner of output `output` of `nout`. */
export function ownerIndex(output: number, nout: number, nworkers: number): number {
  if (!Number.isInteger(output) || output < 0 || output >= nout) throw new RangeError(`shuffle output ${output} is outside 0..${nout - 1}`);
  if (nworkers < 1) throw new RangeError('a shuffle needs at least one worker');
  return Math.floor((output * nworkers) / nout);
}

/** The owner of every output, as positions among the workers. */
export function owners(nout: number, nworkers: number): Int32Array {
  const out = new Int32Array(nout);
  for (let o = 0; o < nout; o++) out[o] = ownerIndex(o, nout, nworkers);
  return out;
}

/**
 * The pieces of one input grouped by the worker that owns their output: `groups[w]` lists the
 * outputs (ascending) whose piece goes to worker position w.
 */
export function outputsByOwner(nout: number, nworkers: number): number[][] {
  const groups: number[][] = Array.from({ length: nworkers }, () => []);
  for (let o = 0; o < nout; o++) groups[ownerIndex(o, nout, nworkers)].push(o);
  return groups;
}
