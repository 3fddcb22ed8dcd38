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
