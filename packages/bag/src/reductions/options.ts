/** The options of the reductions, checked strictly (core's checkOptions). */
import { checkOptions, type OptionRule, type OptionSchema } from '@pdask/core';

export interface ReductionOptions {
  /** How many partial results one combine task merges (default: core's SPLIT_EVERY.bag, 8; false: all at once). */
  splitEvery?: number | false;
}

/** `fold`'s options. */
export interface FoldOptions extends ReductionOptions {
  /** Not supported: the result is always an Item (Dask's `out_type=Bag` is not implemented). */
  outType?: never;
}

/** `reduction`'s options. */
export interface ReductionFunctionOptions extends FoldOptions {
  /** Key prefix of the reduction's tasks (default 'reduction'). */
  name?: string;
}

/** `splitEvery`: what core's splitEveryFor accepts. */
const splitEvery: OptionRule = (v) => (v === false || (Number.isInteger(v) && (v as number) >= 2) ? undefined : 'an integer >= 2 or false');

export const REDUCTION_OPTIONS: OptionSchema<ReductionOptions> = { splitEvery };

const outType: OptionRule = { unsupported: "the result is always an Item (Dask's out_type=Bag is not implemented)" };

const FOLD_OPTIONS: OptionSchema<FoldOptions> = { splitEvery, outType };

const REDUCTION_FUNCTION_OPTIONS: OptionSchema<ReductionFunctionOptions> = {
  splitEvery,
  outType,
  name: (v) => (typeof v === 'string' && /^[\w$.]+$/.test(v) ? undefined : 'a name of letters, digits, _ $ .'),
};

export function checkFoldOptions(opts: FoldOptions | undefined): ReductionOptions {
  return checkOptions('Bag.fold', opts, FOLD_OPTIONS);
}

export function checkReductionFunctionOptions(opts: ReductionFunctionOptions | undefined): ReductionFunctionOptions {
  return checkOptions('Bag.reduction', opts, REDUCTION_FUNCTION_OPTIONS);
}
