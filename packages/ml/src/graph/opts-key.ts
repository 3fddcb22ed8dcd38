/**
 * A key for compute options, for sharing one computation among callers that asked for the same
 * thing with the same options: values by value, objects (an executor, a progress reporter) by
 * identity.
 */
import type { ComputeOptions } from '@pdask/core';

const objIds = new WeakMap<object, number>();
let nextObj = 0;

export function optsKey(o: ComputeOptions): string {
  return Object.keys(o)
    .sort()
    .map((k) => {
      const v = (o as Record<string, unknown>)[k];
      if (v === undefined) return '';
      if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return `${k}=${typeof v}:${String(v)}`;
      let id = objIds.get(v as object);
      if (id === undefined) objIds.set(v as object, (id = ++nextObj));
      return `${k}=#${id}`;
    })
    .join('&');
}
