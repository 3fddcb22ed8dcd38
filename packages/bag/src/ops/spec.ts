/**
 * What every built-in operation of @pdask/bag shares: the "no result" marker of tree reductions,
 * and how a user function's error is reported.
 */

const NO_RESULT_TAG = '@pdask/bag:no-result';

/**
 * Marks the result of a reduction step over nothing (an empty partition, or a group of them), so
 * that `max` and `fold` skip empty partitions instead of failing on them (Dask's `no_result`).
 * A plain object, because it has to survive structured cloning between threads.
 */
export const NO_RESULT: Readonly<Record<string, 1>> = Object.freeze({ [NO_RESULT_TAG]: 1 });

export function isNoResult(x: unknown): boolean {
  return typeof x === 'object' && x !== null && (x as Record<string, unknown>)[NO_RESULT_TAG] === 1;
}

const annotated = new WeakSet<object>();

/**
 * Says where a user function failed — which bag operation, partition and element — while keeping
 * the original error: same object and class, its message prefixed, its stack kept. The class and
 * stack then survive the trip back from a worker thread (core serialises them).
 */
export function userError(e: unknown, method: string, partition: number, element?: number): unknown {
  const where = partition < 0 ? 'combining the results of partitions' : element === undefined ? `partition ${partition}` : `partition ${partition}, element ${element}`;
  const prefix = `in Bag.${method} (${where}): `;
  if (!(e instanceof Error)) return new Error(`${prefix}the function threw a non-Error value: ${String(e)}`);
  if (annotated.has(e)) return e;
  try {
    const head = e.message ? `${e.name}: ${e.message}` : e.name;
    e.message = prefix + e.message;
    if (typeof e.stack === 'string' && e.stack.startsWith(head)) e.stack = `${e.name}: ${e.message}${e.stack.slice(head.length)}`;
    Object.defineProperty(e, 'partition', { value: partition, configurable: true, enumerable: false, writable: true });
    annotated.add(e);
  } catch {
    // A frozen error is passed on as it is: the task key still names the partition.
  }
  return e;
}

/**
 * Marks an error raised by a built-in step (e.g. "element 3 of partition 1 is not iterable") as
 * already saying where it happened, so that enclosing steps pass it on unchanged.
 */
export function reported<E extends Error>(e: E): E {
  annotated.add(e);
  return e;
}

/** Reads a grouping key: a function of the element, or the element's property / index. */
export type KeyGetter = ((x: unknown) => unknown) | string | number;

export function getKey(key: KeyGetter, x: unknown): unknown {
  return typeof key === 'function' ? key(x) : (x as Record<string | number, unknown>)[key];
}

/**
 * An element as it leaves a step into a partition: an iterator (what a generator function
 * returns) becomes the array of its values, as Dask's `reify` materialises the generators a
 * mapped function returns. Iterators cannot be copied to another thread, and left as they are
 * would print as `{}`. A Promise or async iterator (an `async` function given to a bag method)
 * cannot be materialised here and is refused by name.
 */
export function reifyElement(x: unknown, partition: number, element: number): unknown {
  if (typeof x !== 'object' || x === null) return x;
  const o = x as { next?: unknown; then?: unknown; [Symbol.iterator]?: unknown; [Symbol.asyncIterator]?: unknown };
  if (typeof o.next === 'function' && typeof o[Symbol.iterator] === 'function') return [...(x as Iterable<unknown>)];
  if (typeof o.then === 'function' || typeof o[Symbol.asyncIterator] === 'function') {
    const what = typeof o.then === 'function' ? 'a Promise' : 'an async iterator';
    throw reported(
      new TypeError(`Bag: element ${element} of partition ${partition} is ${what}; bag functions must be synchronous (an async function or async generator cannot be waited for inside a task)`),
    );
  }
  return x;
}
