/**
 * Tasks as the scheduler sends them to a worker, in core's compact node encoding (the thread
 * wire: flat arrays, interned operations, integer ids). Ids are local to each task — 0 is the
 * task itself, i + 1 its i-th input — so the message carries each key once and neither side keeps
 * a key table that would have to be kept in step and pruned.
 *
 * Entry: [node, keys, fetch] where keys[id] names an id and fetch is 0 or [inputId, holder, ...]
 * for inputs held by other workers.
 */
import { encodeNode, type EncodedNode, type Key, type OpInterner, type TaskState } from '@pdask/core';

/** Above this many inputs, ids are looked up in a Map rather than by scanning the inputs. */
const SCAN_LIMIT = 8;

export function encodeTask(ts: TaskState, ops: OpInterner): [EncodedNode, Key[]] {
  const keys: Key[] = [ts.key];
  for (const d of ts.deps) keys.push(d.key);
  let idOf: (k: Key) => number;
  if (keys.length <= SCAN_LIMIT) {
    idOf = (k) => {
      const i = keys.indexOf(k);
      if (i < 0) throw new Error(`pdask internal error: '${ts.key}' reads '${k}', which is not one of its inputs`);
      return i;
    };
  } else {
    const ids = new Map(keys.map((k, i) => [k, i]));
    idOf = (k) => {
      const i = ids.get(k);
      if (i === undefined) throw new Error(`pdask internal error: '${ts.key}' reads '${k}', which is not one of its inputs`);
      return i;
    };
  }
  return [encodeNode(ts.node, ops, idOf), keys];
}
