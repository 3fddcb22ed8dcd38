/**
 * Small results that travel with the reports instead of being fetched. A client waiting for a task
 * would otherwise, once told the result is in memory, ask the worker for it: two more hops (and a
 * connection to every worker) on every submit→result round trip. The scheduler names the tasks that
 * a client wants in its 'compute' message; their worker sends each result back in its 'done' report
 * when it is a small primitive (immutable, so the client handing out its copy is the same as
 * fetching it each time), and the scheduler passes it on in the 'memory' message. Anything else is
 * fetched from the worker as before. The worker keeps the result either way.
 */

/** Longest string sent inline (in UTF-16 code units). */
const MAX_INLINE_STRING = 256;

/** Whether a result goes back inline: an immutable value that is no larger than a key. */
export function isInlineResult(v: unknown): boolean {
  switch (typeof v) {
    case 'number':
    case 'boolean':
    case 'undefined':
      return true;
    case 'string':
      return v.length <= MAX_INLINE_STRING;
    default:
      return v === null;
  }
}

/** A report's (key, value) pairs as a map (undefined when there are none). */
export function inlineValues(pairs: readonly unknown[]): Map<string, unknown> | undefined {
  if (pairs.length === 0) return undefined;
  const out = new Map<string, unknown>();
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const k = pairs[i];
    if (typeof k === 'string' && isInlineResult(pairs[i + 1])) out.set(k, pairs[i + 1]);
  }
  return out;
}
