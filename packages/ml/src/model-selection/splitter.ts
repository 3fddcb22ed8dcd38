/** What a cross-validation splitter is, and how `cv: number | Splitter` becomes one. */
import type { Fold } from './kfold';

/** Labels as the stratified splitter reads them (computed, on the calling thread). */
export type Labels = ArrayLike<number | string | boolean | bigint>;

export interface Splitter {
  getNSplits(): number;
  /** The folds of n samples (y: their labels, which stratified splitters need). */
  split(n: number, y?: Labels): Iterable<Fold>;
  /** Whether `split` reads y. */
  readonly needsLabels?: boolean;
}
