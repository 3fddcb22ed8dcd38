import type { OpRef } from '@pdask/core';

/** The module workers import to find the built-in operations of ml tasks. */
export const ML_OPS = '@pdask/ml/ops';

const cache = new Map<string, OpRef>();

/** The (shared) OpRef of a built-in ml operation. */
export function opRef(name: string): OpRef {
  let r = cache.get(name);
  if (!r) {
    r = { k: 'mod', spec: ML_OPS, name };
    cache.set(name, r);
  }
  return r;
}
