/**
 * A compact encoding of graph nodes for crossing threads. Structured cloning the object form
 * (a node, its op, an object per argument, 40-character keys) costs ~7 µs per tiny task; flat
 * arrays with operations interned to small integers and keys replaced by integer ids cost under
 * 1 µs, which is what lets 100,000s of tasks per second through the pool.
 *
 * Node:  [0, id, opId, ...args] (task) | [1, id, value] (data) | [2, id, [node, ...]] (fused; its
 *        members are numbered -1, -2, … so they never clash with graph ids)
 * Args:  flat (tag, payload) pairs: 0 literal value, 1 id reference, 2 array of args (flat),
 *        3 object [name, tag, payload, ...], 4 function (opId).
 */
import type { ArgSpec, DataNode, GraphNode, Key, OpRef, TaskNode } from '../../graph/spec';

export type EncodedNode = unknown[];

/** Sender side: assigns ids to operations and remembers which ids a receiver already knows. */
export class OpInterner {
  private readonly ids = new Map<OpRef, number>();
  private readonly byText = new Map<string, number>();
  private fresh: [number, OpRef][] = [];

  id(op: OpRef): number {
    let id = this.ids.get(op);
    if (id !== undefined) return id;
    // Different OpRef objects for the same function share one id.
    const text = op.k === 'mod' ? `m:${op.spec}#${op.name}` : `s:${op.name}:${op.src}`;
    id = this.byText.get(text);
    if (id === undefined) {
      id = this.byText.size;
      this.byText.set(text, id);
      this.fresh.push([id, op]);
    }
    this.ids.set(op, id);
    return id;
  }

  /** Operations assigned since the last call: they travel with the next message. */
  takeFresh(): [number, OpRef][] | undefined {
    if (this.fresh.length === 0) return undefined;
    const f = this.fresh;
    this.fresh = [];
    return f;
  }
}

type IdOf = (key: Key) => number;

function encodeArgs(args: readonly ArgSpec[], ops: OpInterner, idOf: IdOf, out: unknown[]): void {
  for (const a of args) {
    switch (a.t) {
      case 'lit':
        out.push(0, a.v);
        break;
      case 'ref':
        out.push(1, idOf(a.key));
        break;
      case 'arr': {
        const inner: unknown[] = [];
        encodeArgs(a.items, ops, idOf, inner);
        out.push(2, inner);
        break;
      }
      case 'obj': {
        const inner: unknown[] = [];
        for (const [name, x] of a.entries) {
          inner.push(name);
          encodeArgs([x], ops, idOf, inner);
        }
        out.push(3, inner);
        break;
      }
      case 'fn':
        out.push(4, ops.id(a.op));
        break;
    }
  }
}

function encodeTask(node: TaskNode | DataNode, id: number, ops: OpInterner, idOf: IdOf): EncodedNode {
  if (node.kind === 'data') return [1, id, node.value];
  const out: unknown[] = [0, id, ops.id(node.op)];
  encodeArgs(node.args, ops, idOf, out);
  return out;
}

/** `idOf` maps graph keys to ids (non-negative); fused members get local negative ids. */
export function encodeNode(node: GraphNode, ops: OpInterner, idOf: IdOf): EncodedNode {
  if (node.kind !== 'fused') return encodeTask(node, idOf(node.key), ops, idOf);
  const local = new Map<Key, number>();
  node.members.forEach((m, i) => local.set(m.key, -1 - i));
  const inner: IdOf = (k) => local.get(k) ?? idOf(k);
  const last = node.members.length - 1;
  // The tail keeps the node's graph id: it is the result the scheduler knows.
  return [2, idOf(node.key), node.members.map((m, i) => encodeTask(m, i === last ? idOf(node.key) : -1 - i, ops, inner))];
}

/** The member of a fused node a local id names (for error reports). */
export function fusedMemberKey(node: GraphNode, id: number): Key {
  return node.kind === 'fused' && id < 0 ? (node.members[-1 - id]?.key ?? node.key) : node.key;
}

const NO_DEPS: readonly number[] = [];

function decodeArg(tag: number, p: unknown, ops: readonly OpRef[]): ArgSpec<number> {
  switch (tag) {
    case 0:
      return { t: 'lit', v: p };
    case 1:
      return { t: 'ref', key: p as number };
    case 2:
      return { t: 'arr', items: decodeArgs(p as unknown[], 0, ops) };
    case 3: {
      const inner = p as unknown[];
      const entries: [string, ArgSpec<number>][] = [];
      for (let j = 0; j < inner.length; j += 3) entries.push([inner[j] as string, decodeArg(inner[j + 1] as number, inner[j + 2], ops)]);
      return { t: 'obj', entries };
    }
    default:
      return { t: 'fn', op: ops[p as number] };
  }
}

function decodeArgs(flat: readonly unknown[], from: number, ops: readonly OpRef[]): ArgSpec<number>[] {
  const out: ArgSpec<number>[] = [];
  for (let i = from; i < flat.length; i += 2) out.push(decodeArg(flat[i] as number, flat[i + 1], ops));
  return out;
}

/** Rebuilds a node for running on a worker. `deps` stays empty: workers never schedule. */
export function decodeNode(enc: EncodedNode, ops: readonly OpRef[]): GraphNode<number> {
  const id = enc[1] as number;
  switch (enc[0]) {
    case 1:
      return { kind: 'data', key: id, value: enc[2], deps: NO_DEPS } satisfies DataNode<number>;
    case 2:
      return {
        kind: 'fused',
        key: id,
        members: (enc[2] as EncodedNode[]).map((m) => decodeNode(m, ops) as TaskNode<number> | DataNode<number>),
        deps: NO_DEPS,
      };
    default:
      return { kind: 'task', key: id, op: ops[enc[2] as number], args: decodeArgs(enc, 3, ops), deps: NO_DEPS } satisfies TaskNode<number>;
  }
}
