/** Options objects that mix a function's own options with core's compute options (metrics, crossValScore). */
import { checkComputeOptions, checkOptions, COMPUTE_OPTION_NAMES, type ComputeOptions, type OptionSchema } from '@pdask/core';

/**
 * Checks `opts` against the function's own rules and the compute options together, so a misspelt
 * key is named with every known option listed; returns the compute options apart.
 */
export function splitComputeOptions<O extends object>(who: string, opts: (O & ComputeOptions) | undefined, own: OptionSchema<O>): [O, ComputeOptions] {
  const all = opts ?? ({} as O & ComputeOptions);
  checkOptions(who, all, { ...COMPUTE_OPTION_NAMES, ...own } as OptionSchema<O & ComputeOptions>);
  const mine: Record<string, unknown> = {};
  const compute: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(all)) (k in own ? mine : compute)[k] = v;
  checkComputeOptions(compute as ComputeOptions, who);
  return [mine as O, compute as ComputeOptions];
}
