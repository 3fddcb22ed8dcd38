import type { OpRef } from '@pdask/core';

/** The module workers import to find the built-in operations of array tasks. */
export const ARRAY_OPS = '@pdask/array/ops';

const cache = new Map<string, OpRef>();

/** The (shared) OpRef of a built-in array operation. */
export function opRef(name: string): OpRef {
  let r = cache.get(name);
  if (!r) {
    r = { k: 'mod', spec: ARRAY_OPS, name };
    cache.set(name, r);
  }
  return r;
}
