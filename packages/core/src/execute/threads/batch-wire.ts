/**
 * The tasks of one thread pool batch, as numbers in one Float64Array plus two short lists: what
 * crosses threads for a batch of tiny tasks is then a block of bytes to copy, not one JS value per
 * id and tag. Structured cloning pays per value and per object (a tag and an identity-map entry
 * on the caller, an allocation on the worker); posting the batches was the largest single share
 * of the caller's time on graphs of tiny tasks.
 *
 * Per task, in `num`: seq, ret (see RunSpec), the number of fetch entries f, then f triples
 * (input id, peer or AWAIT_LOCAL, move 0/1), then the node in one of two forms:
 * - 0 (a task whose arguments are all literals, references or functions): id, op id, the number
 *   of arguments a, then a pairs (tag, payload): 0 a literal (payload: its index in `values`),
 *   1 a reference (an id), 4 a function (an op id), 5 a number literal (the number itself);
 * - 1 (anything else: data, fused, nested arguments): the index in `nodes` of its encodeNode form.
 */
import type { ArgSpec, GraphNode, Key, OpRef } from '../../graph/spec';
import type { TaskState } from '../../schedule/task-state';
import { decodeNode, encodeNode, type EncodedNode, type OpInterner } from './wire';
import type { RunSpec } from './protocol';

export interface WireRun {
  readonly num: Float64Array;
  /** Literal arguments that are not numbers (in shared-memory mode, typed arrays may be rehomed: see share-inputs.ts). */
  readonly values: unknown[];
  /** Nodes in encodeNode's form. */
  readonly nodes: EncodedNode[];
}

const LIT = 0;
const REF = 1;
const FN = 4;
const NUM = 5;

/** Whether a node takes the compact form: a plain task whose arguments are literals, references or functions. */
function compact(node: GraphNode): boolean {
  if (node.kind !== 'task') return false;
  for (const a of node.args) if (a.t === 'arr' || a.t === 'obj') return false;
  return true;
}

/** Builds one batch's WireRun. */
export class RunWriter {
  private num = new Float64Array(256);
  private n = 0;
  readonly values: unknown[] = [];
  readonly nodes: EncodedNode[] = [];
  /** Tasks written. */
  size = 0;

  private push(x: number): void {
    if (this.n === this.num.length) {
      const grown = new Float64Array(this.num.length * 2);
      grown.set(this.num);
      this.num = grown;
    }
    this.num[this.n++] = x;
  }

  /** `fetch`: flat triples (input id, peer, move) or 0. */
  add(seq: number, ret: number, fetch: readonly number[] | 0, node: GraphNode, ops: OpInterner, idOf: (key: Key) => number): void {
    this.size++;
    this.push(seq);
    this.push(ret);
    if (fetch === 0) this.push(0);
    else {
      this.push(fetch.length / 3);
      for (let i = 0; i < fetch.length; i++) this.push(fetch[i]);
    }
    if (!compact(node)) {
      this.push(1);
      this.push(this.nodes.push(encodeNode(node, ops, idOf)) - 1);
      return;
    }
    const task = node as Extract<GraphNode, { kind: 'task' }>;
    const args = task.args;
    this.push(0);
    this.push(idOf(task.key));
    this.push(ops.id(task.op));
    this.push(args.length);
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a.t === 'ref') {
        this.push(REF);
        this.push(idOf(a.key));
      } else if (a.t === 'fn') {
        this.push(FN);
        this.push(ops.id(a.op));
      } else if (a.t === 'lit' && typeof a.v === 'number') {
        this.push(NUM);
        this.push(a.v);
      } else {
        this.push(LIT);
        this.push(this.values.push((a as { v: unknown }).v) - 1);
      }
    }
  }

  /** Room for `k` more numbers (one check per task, not one per number). */
  private reserve(k: number): Float64Array {
    const need = this.n + k;
    if (need > this.num.length) {
      const grown = new Float64Array(Math.max(need, this.num.length * 2));
      grown.set(this.num.subarray(0, this.n));
      this.num = grown;
    }
    return this.num;
  }

  /** The op's id, remembering the last two (a graph of tiny tasks alternates a few functions). */
  private opId(ops: OpInterner, op: OpRef): number {
    if (op === this.op0) return this.id0;
    if (op === this.op1) return this.id1;
    const id = ops.id(op);
    this.op1 = this.op0;
    this.id1 = this.id0;
    this.op0 = op;
    this.id0 = id;
    return id;
  }

  private op0: OpRef | undefined;
  private id0 = -1;
  private op1: OpRef | undefined;
  private id1 = -1;

  /**
   * As `add`, for a scheduled task whose results are known by their graph positions (no input
   * persisted earlier): its own id is `ts.index`, and a reference is one of its inputs, found by
   * comparing the argument's key with the node's input keys instead of through a closure per
   * task; `other` gives the position of any other key.
   */
  addTask(seq: number, ret: number, fetch: readonly number[] | 0, ts: TaskState, ops: OpInterner, other: (key: Key) => number): void {
    const node = ts.node;
    if (!compact(node)) {
      this.add(seq, ret, fetch, node, ops, (key) => inputIndex(ts, key, other));
      return;
    }
    const task = node as Extract<GraphNode, { kind: 'task' }>;
    const args = task.args;
    const nf = fetch === 0 ? 0 : fetch.length;
    const num = this.reserve(7 + nf + 2 * args.length);
    let n = this.n;
    this.size++;
    num[n++] = seq;
    num[n++] = ret;
    num[n++] = nf / 3;
    for (let i = 0; i < nf; i++) num[n++] = (fetch as readonly number[])[i];
    num[n++] = 0;
    num[n++] = ts.index;
    num[n++] = this.opId(ops, task.op);
    num[n++] = args.length;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a.t === 'ref') {
        num[n++] = REF;
        num[n++] = inputIndex(ts, a.key, other);
      } else if (a.t === 'fn') {
        num[n++] = FN;
        num[n++] = this.opId(ops, a.op);
      } else if (a.t === 'lit' && typeof a.v === 'number') {
        num[n++] = NUM;
        num[n++] = a.v;
      } else {
        num[n++] = LIT;
        num[n++] = this.values.push((a as { v: unknown }).v) - 1;
      }
    }
    this.n = n;
  }

  /** The batch (a copy of the numbers written, sized to them). */
  take(): WireRun {
    return { num: this.num.slice(0, this.n), values: this.values, nodes: this.nodes };
  }
}

/** The tasks of a batch, for the worker's queue. */
export function readRun(run: WireRun, cid: number, ops: readonly OpRef[], into: RunSpec[]): void {
  const { num, values, nodes } = run;
  for (let i = 0; i < num.length; ) {
    const seq = num[i];
    const ret = num[i + 1];
    const nf = num[i + 2];
    i += 3;
    let fetch: [number, number, boolean][] | undefined;
    if (nf > 0) {
      fetch = [];
      for (let j = 0; j < nf; j++, i += 3) fetch.push([num[i], num[i + 1], num[i + 2] === 1]);
    }
    let node: GraphNode<number>;
    if (num[i] === 1) {
      node = decodeNode(nodes[num[i + 1]], ops);
      i += 2;
    } else {
      const id = num[i + 1];
      const op = ops[num[i + 2]];
      const na = num[i + 3];
      i += 4;
      const args: ArgSpec<number>[] = new Array(na);
      for (let j = 0; j < na; j++, i += 2) {
        const tag = num[i];
        const p = num[i + 1];
        args[j] = tag === REF ? { t: 'ref', key: p } : tag === NUM ? { t: 'lit', v: p } : tag === FN ? { t: 'fn', op: ops[p] } : { t: 'lit', v: values[p] };
      }
      node = { kind: 'task', key: id, op, args, deps: NO_DEPS };
    }
    into.push({ seq, cid, node, fetch, ret });
  }
}

const NO_DEPS: readonly number[] = [];

/** The graph position of `key`: one of the task's inputs, the task itself, or else what `other` says. */
function inputIndex(ts: TaskState, key: Key, other: (key: Key) => number): number {
  const keys = ts.node.deps;
  for (let j = 0; j < keys.length; j++) if (keys[j] === key) return ts.deps[j].index;
  return key === ts.node.key ? ts.index : other(key);
}
