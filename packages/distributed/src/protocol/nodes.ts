/**
 * Graphs as clients submit them to the scheduler: flat arrays with operations interned per
 * connection (core's OpInterner), like core's thread wire, but keyed by the graph's own keys and
 * keeping fused members' keys — the scheduler links tasks by key and names the member that
 * failed — and checked field by field on arrival, since anyone holding the token may send them.
 * (Scheduler to worker, tasks use core's own encoding: see tasks.ts.)
 *
 * Node:  [0, key, opId, ...args] task | [1, key, value] data | [2, key, [node...], [dep...]] fused
 *        [4, key] reference to a key the cluster already has (a Future passed to a graph)
 * Args:  (tag, payload) pairs: 0 literal, 1 key reference, 2 array (flat), 3 object
 *        [name, tag, payload, ...], 4 function (opId).
 */
import { argDeps, fromModule, type ArgSpec, type DataNode, type GraphNode, type Key, type OpInterner, type OpRef, type TaskNode } from '@pdask/core';
import { distributedOps } from '../ops/index';
import { boxValue } from './codec';

export type SubmittedNode = unknown[];

/** The operation of a reference to a key the cluster already has (a Future inside a graph). */
export const KNOWN_KEY_OP: OpRef = distributedOps.known.ref;

export function knownKeyNode(key: Key): TaskNode {
  return { kind: 'task', key, op: KNOWN_KEY_OP, args: [], deps: [] };
}

export function isKnownKeyRef(node: GraphNode): boolean {
  return node.kind === 'task' && node.op === KNOWN_KEY_OP;
}

function encodeArgs(args: readonly ArgSpec[], ops: OpInterner, out: unknown[]): void {
  for (const a of args) {
    switch (a.t) {
      case 'lit':
        out.push(0, boxValue(a.v));
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

/** Encodes a node for submission (client side). */
export function encodeGraphNode(node: GraphNode, ops: OpInterner): SubmittedNode {
  if (node.kind === 'data') return [1, node.key, boxValue(node.value)];
  if (node.kind === 'fused') {
    // A fused node without members is how clients mark a Future inside a collection's graph.
    if (node.members.length === 0) return [4, node.key];
    return [2, node.key, node.members.map((m) => encodeGraphNode(m, ops)), node.deps];
  }
  if (node.op === KNOWN_KEY_OP) return [4, node.key];
  const out: unknown[] = [0, node.key, ops.id(node.op)];
  encodeArgs(node.args, ops, out);
  return out;
}

export class WireError extends Error {
  override name = 'WireError';
}

function decodeArgs(flat: readonly unknown[], from: number, ops: readonly OpRef[]): ArgSpec[] {
  const out: ArgSpec[] = [];
  for (let i = from; i < flat.length; i += 2) {
    const tag = flat[i];
    const p = flat[i + 1];
    switch (tag) {
      case 0:
        // Kept boxed: the scheduler re-encodes it for a worker, and undefined must survive.
        out.push({ t: 'lit', v: boxValue(p) });
        break;
      case 1:
        if (typeof p !== 'string') throw new WireError('a key reference is not a string');
        out.push({ t: 'ref', key: p });
        break;
      case 2:
        if (!Array.isArray(p)) throw new WireError('an array argument is not an array');
        out.push({ t: 'arr', items: decodeArgs(p, 0, ops) });
        break;
      case 3: {
        if (!Array.isArray(p)) throw new WireError('an object argument is not an array');
        const entries: [string, ArgSpec][] = [];
        for (let j = 0; j < p.length; j += 3) entries.push([String(p[j]), decodeArgs(p.slice(j + 1, j + 3), 0, ops)[0]]);
        out.push({ t: 'obj', entries });
        break;
      }
      case 4:
        out.push({ t: 'fn', op: opAt(ops, p) });
        break;
      default:
        throw new WireError(`unknown argument tag ${String(tag)}`);
    }
  }
  return out;
}

function opAt(ops: readonly OpRef[], id: unknown): OpRef {
  const op = typeof id === 'number' ? ops[id] : undefined;
  if (!op) throw new WireError(`unknown operation id ${String(id)}`);
  return op;
}

/**
 * Rebuilds a node. Validates shapes (messages from the network are untrusted): anything malformed
 * throws WireError, which the receiver turns into an error reply, never a crash.
 */
export function decodeGraphNode(enc: unknown, ops: readonly OpRef[], withDeps = true): GraphNode {
  if (!Array.isArray(enc) || typeof enc[1] !== 'string') throw new WireError('a graph node is not [tag, key, ...]');
  const key = enc[1];
  switch (enc[0]) {
    case 0: {
      const args = decodeArgs(enc, 3, ops);
      return { kind: 'task', key, op: opAt(ops, enc[2]), args, deps: withDeps ? argDeps(args) : [] } satisfies TaskNode;
    }
    case 1:
      return { kind: 'data', key, value: boxValue(enc[2]), deps: [] } satisfies DataNode;
    case 2: {
      if (!Array.isArray(enc[2]) || !Array.isArray(enc[3])) throw new WireError('a fused node has no members or deps');
      const members = enc[2].map((m) => {
        const n = decodeGraphNode(m, ops, false);
        if (n.kind === 'fused') throw new WireError('fused nodes do not nest');
        return n as TaskNode | DataNode;
      });
      const deps = enc[3].map((d) => {
        if (typeof d !== 'string') throw new WireError('a dependency is not a key');
        return d;
      });
      return { kind: 'fused', key, members, deps };
    }
    case 4:
      return knownKeyNode(key);
    default:
      throw new WireError(`unknown node tag ${String(enc[0])}`);
  }
}

/** Validates an operation received over the wire. */
export function checkOp(x: unknown): OpRef {
  const o = x as Record<string, unknown> | null;
  if (o && o.k === 'mod' && typeof o.spec === 'string' && typeof o.name === 'string') return fromModule(o.spec, o.name).moduleRef;
  if (o && o.k === 'src' && typeof o.src === 'string' && typeof o.name === 'string') return { k: 'src', src: o.src, name: o.name };
  throw new WireError('malformed operation');
}
