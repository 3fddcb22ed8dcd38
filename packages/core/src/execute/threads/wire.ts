/**
 * A compact encoding of graph nodes for crossing threads. Structured cloning the object form
 * (a node, its op, an object per argument) costs ~7 µs per tiny task; flat arrays with operations
 * interned to small integers cost under 1 µs, which is what lets 100,000s of tasks per second
 * through the pool.
 *
 * Node:  [0, key, opId, ...args] (task) | [1, key, value] (data) | [2, key, [node, ...]] (fused)
 * Args:  flat (tag, payload) pairs: 0 literal value, 1 key reference, 2 array of args (flat),
 *        3 object [name, tag, payload, ...], 4 function (opId).
 */
import type { ArgSpec, DataNode, GraphNode, OpRef, TaskNode } from '../../graph/spec';

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

function encodeArgs(args: readonly ArgSpec[], ops: OpInterner, out: unknown[]): void {
  for (const a of args) {
    switch (a.t) {
      case 'lit':
        out.push(0, a.v);
        break;
      case 'ref':
        out.push(1, a.key);
        break;
      case 'arr': {
        const inner: unknown[] = [];
        encodeArgs(a.items, ops, inner);
        out.push(2, inner);
        break;
      }
      case 'obj': {
        const inner: unknown[] = [];
        for (const [name, x] of a.entries) {
          inner.push(name);
          encodeArgs([x], ops, inner);
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

export function encodeNode(node: GraphNode, ops: OpInterner): EncodedNode {
  if (node.kind === 'data') return [1, node.key, node.value];
  if (node.kind === 'fused') return [2, node.key, node.members.map((m) => encodeNode(m, ops))];
  const out: unknown[] = [0, node.key, ops.id(node.op)];
  encodeArgs(node.args, ops, out);
  return out;
}

const NO_DEPS: readonly string[] = [];

function decodeArgs(flat: readonly unknown[], from: number, ops: readonly OpRef[]): ArgSpec[] {
  const out: ArgSpec[] = [];
  for (let i = from; i < flat.length; i += 2) {
    const tag = flat[i] as number;
    const p = flat[i + 1];
    switch (tag) {
      case 0:
        out.push({ t: 'lit', v: p });
        break;
      case 1:
        out.push({ t: 'ref', key: p as string });
        break;
      case 2:
        out.push({ t: 'arr', items: decodeArgs(p as unknown[], 0, ops) });
        break;
      case 3: {
        const inner = p as unknown[];
        const entries: [string, ArgSpec][] = [];
        for (let j = 0; j < inner.length; j += 3) entries.push([inner[j] as string, decodeArgs(inner.slice(j + 1, j + 3), 0, ops)[0]]);
        out.push({ t: 'obj', entries });
        break;
      }
      case 4:
        out.push({ t: 'fn', op: ops[p as number] });
        break;
    }
  }
  return out;
}

/**
 * Rebuilds a node for running. `deps` is left empty: a worker reads inputs through the argument
 * references, it never schedules.
 */
export function decodeNode(enc: EncodedNode, ops: readonly OpRef[]): GraphNode {
  const key = enc[1] as string;
  switch (enc[0]) {
    case 1:
      return { kind: 'data', key, value: enc[2], deps: NO_DEPS } satisfies DataNode;
    case 2:
      return { kind: 'fused', key, members: (enc[2] as EncodedNode[]).map((m) => decodeNode(m, ops) as TaskNode | DataNode), deps: NO_DEPS };
    default:
      return { kind: 'task', key, op: ops[enc[2] as number], args: decodeArgs(enc, 3, ops), deps: NO_DEPS } satisfies TaskNode;
  }
}
