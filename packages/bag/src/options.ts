/** What the option schemas of the bag API share. */
import type { ComputeOptions, OptionRule, OptionSchema } from '@pdask/core';

/**
 * Core's compute options inside the options of a method that computes (take, toTextFiles):
 * accepted here, checked by the compute() they are passed on to.
 */
export const COMPUTE_OPTION_KEYS: OptionSchema<ComputeOptions> = { scheduler: 'any', numWorkers: 'any', optimizeGraph: 'any', progress: 'any', retries: 'any' };

/** Dask's `compute=False` of methods that always compute here. */
export const ALWAYS_COMPUTES: OptionRule = { unsupported: 'this method always computes (there is no lazy form)' };

export const NO_STORAGE_OPTIONS: OptionRule = { unsupported: 'only local files are read and written (no fsspec storage options)' };
