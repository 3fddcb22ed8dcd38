/** What the option schemas of the bag API share. */
import type { OptionRule } from '@pdask/core';

/** Dask's `compute=False` of methods that always compute here. */
export const ALWAYS_COMPUTES: OptionRule = { unsupported: 'this method always computes (there is no lazy form)' };

export const NO_STORAGE_OPTIONS: OptionRule = { unsupported: 'only local files are read and written (no fsspec storage options)' };
