import { coreOps } from '../ops/index';
import { collectionSymbol, isCollection, type Collection } from '../collection/protocol';
import { isModuleFunction, type OpFunction } from '../ops/registry';
import { toOpRef } from '../ops/shippable';
import { tokenize } from '../tokenize/tokenize';
import { layerNode, MaterializedLayer, type LayerNode } from './high-level';
import { lit, ref, taskNode, type ArgSpec } from './spec';

function isPlainObject(x: object): x is Record<string, unknown> {
  const p = Object.getPrototypeOf(x);
  return p === Object.prototype || p === null;
}

/**
 * Converts a user value into an argument spec, finding collections (Delayed and others) inside
 * arrays and plain objects; their layers are added to `parents`. Containers with nothing lazy in
 * them stay one literal, untouched.
 */
export function toArgSpec(value: unknown, parents: LayerNode[]): ArgSpec {
  if (value === null || value === undefined) return lit(value);
  const t = typeof value;
  if (t === 'function' || (t === 'object' && isModuleFunction(value))) {
    if (isCollection(value)) return collectionRef(value, parents);
    return { t: 'fn', op: toOpRef(value as OpFunction) };
  }
  if (t !== 'object') return lit(value);
  if (isCollection(value)) return collectionRef(value, parents);
  if (Array.isArray(value)) {
    let lazy = false;
    const items = value.map((x) => {
      const a = toArgSpec(x, parents);
      if (a.t !== 'lit') lazy = true;
      return a;
    });
    return lazy ? { t: 'arr', items } : lit(value);
  }
  if (isPlainObject(value)) {
    let lazy = false;
    const entries = Object.entries(value).map(([k, x]) => {
      const a = toArgSpec(x, parents);
      if (a.t !== 'lit') lazy = true;
      return [k, a] as const;
    });
    return lazy ? { t: 'obj', entries } : lit(value);
  }
  return lit(value);
}

/** A reference to a collection's result; multi-key collections get a finalize task. */
function collectionRef(c: Collection<unknown>, parents: LayerNode[]): ArgSpec {
  const g = c[collectionSymbol]();
  if (!g.finalize && g.keys.length === 1) {
    parents.push(...g.roots);
    return ref(g.keys[0]);
  }
  const key = `finalize-${tokenize(g.keys, g.finalize?.op, g.finalize?.args)}`;
  const refs: ArgSpec = { t: 'arr', items: g.keys.map(ref) };
  const args = g.finalize ? [refs, ...(g.finalize.args ?? []).map(lit)] : [refs];
  const op = g.finalize?.op ?? coreOps.identity.ref;
  const node = taskNode(key, op, args);
  parents.push(layerNode(new MaterializedLayer(key, [node], 'finalize'), g.roots));
  return ref(key);
}
