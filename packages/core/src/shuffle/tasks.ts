/**
 * The task structure of a peer-to-peer shuffle (Dask's P2P shuffle): one transfer task per input
 * (it splits the input into one piece per output and sends each piece straight to the worker that
 * owns that output), one barrier reading every transfer (all pieces have landed), and one unpack
 * task per output that runs on its owner and hands over the pieces that landed there, in input
 * order. The graph holds inputs + outputs + 2 tasks, where a task-based shuffle holds
 * inputs x outputs.
 */
import { arr, fnArg, lit, ref, taskNode, type ArgSpec, type GraphNode, type Key, type OpRef, type TaskNode } from '../graph/spec';
import { coreOps } from '../ops/index';

/** The module and export names of the shuffle operations (see ops.ts, catalogued in core's ops). */
export const SHUFFLE_OPS_SPEC = '@pdask/core/ops';
export const TRANSFER_OP = 'shuffleTransfer';
export const BARRIER_OP = 'shuffleBarrier';
export const UNPACK_OP = 'shuffleUnpack';
export const ANCHOR_OP = 'shuffleAnchor';


/** What a transfer task knows about its shuffle. */
export interface TransferSpec {
  /** The shuffle's identity (unique per shuffle in a graph: a token of its inputs and parameters). */
  readonly id: string;
  /** This task's input partition. */
  readonly input: number;
  readonly ninputs: number;
  readonly nout: number;
}

export interface P2PShuffleSpec {
  /** The shuffle's identity; its tasks' keys are derived from it. */
  readonly id: string;
  readonly ninputs: number;
  readonly nout: number;
  /**
   * The split of input i: a function returning `nout` pieces (piece o goes to output o), and its
   * arguments (which reference the input partition, and may reference other keys).
   */
  readonly split: (i: number) => { readonly op: OpRef; readonly args: readonly ArgSpec[] };
}

export interface P2PShuffleTasks {
  readonly tasks: TaskNode[];
  /** The key whose value is output o's pieces (an array of `ninputs` pieces, in input order). */
  readonly output: (o: number) => Key;
  readonly barrier: Key;
  readonly transfers: readonly Key[];
}

export const transferKey = (id: string, i: number): Key => `${id}-transfer-${i}`;
export const barrierKey = (id: string): Key => `${id}-barrier`;
export const anchorKey = (id: string): Key => `${id}-anchor`;
export const unpackKey = (id: string, o: number): Key => `${id}-unpack-${o}`;

/** The tasks of a shuffle: O(inputs + outputs). */
export function p2pShuffleTasks(spec: P2PShuffleSpec): P2PShuffleTasks {
  const { id, ninputs, nout } = spec;
  if (!Number.isInteger(ninputs) || ninputs < 1) throw new RangeError(`shuffle '${id}': ninputs must be a positive integer, got ${ninputs}`);
  if (!Number.isInteger(nout) || nout < 1) throw new RangeError(`shuffle '${id}': nout must be a positive integer, got ${nout}`);
  const tasks: TaskNode[] = [];
  const transfers: Key[] = [];
  for (let i = 0; i < ninputs; i++) {
    const s = spec.split(i);
    const t: TransferSpec = { id, input: i, ninputs, nout };
    const key = transferKey(id, i);
    transfers.push(key);
    tasks.push(taskNode(key, coreOps.shuffleTransfer.ref, [lit(t), fnArg(s.op), ...s.args]));
  }
  // Linear fusion must not fold a transfer, the barrier and an unpack into one task (one input,
  // one output): the pieces would go to the output's owner while the fused task ran elsewhere. A
  // second input shared by the barrier and every unpack keeps them apart.
  const anchor = anchorKey(id);
  tasks.push(taskNode(anchor, coreOps.shuffleAnchor.ref, [lit(id)]));
  const barrier = barrierKey(id);
  tasks.push(taskNode(barrier, coreOps.shuffleBarrier.ref, [lit(id), arr(transfers.map((k) => ref(k))), ref(anchor)]));
  for (let o = 0; o < nout; o++) tasks.push(taskNode(unpackKey(id, o), coreOps.shuffleUnpack.ref, [ref(barrier), lit(id), lit(o), lit(ninputs), ref(anchor)]));
  return { tasks, output: (o) => unpackKey(id, o), barrier, transfers };
}

/** A shuffle task recognised in a graph node (a fused node is searched member by member). */
export type ShuffleTaskInfo =
  | { readonly kind: 'transfer'; readonly id: string; readonly input: number; readonly ninputs: number; readonly nout: number }
  | { readonly kind: 'barrier'; readonly id: string }
  | { readonly kind: 'unpack'; readonly id: string; readonly output: number };

const isShuffleOp = (op: OpRef): boolean => op.k === 'mod' && op.spec === SHUFFLE_OPS_SPEC && (op.name === TRANSFER_OP || op.name === BARRIER_OP || op.name === UNPACK_OP);

function infoOfTask(t: { readonly op: OpRef; readonly args: readonly ArgSpec<unknown>[] }): ShuffleTaskInfo | undefined {
  if (!isShuffleOp(t.op)) return undefined;
  const litAt = (j: number): unknown => {
    const a = t.args[j];
    return a && a.t === 'lit' ? a.v : undefined;
  };
  if (t.op.name === TRANSFER_OP) {
    const s = litAt(0) as TransferSpec | undefined;
    return s && { kind: 'transfer', id: s.id, input: s.input, ninputs: s.ninputs, nout: s.nout };
  }
  if (t.op.name === BARRIER_OP) return { kind: 'barrier', id: litAt(0) as string };
  return { kind: 'unpack', id: litAt(1) as string, output: litAt(2) as number };
}

/**
 * The shuffle role of a graph node, if any. Linear fusion may fold a transfer into the task that
 * made its input, or an unpack into the task reading it: the fused node then plays that role.
 */
export function shuffleTaskInfo(node: GraphNode<unknown>): ShuffleTaskInfo | undefined {
  if (node.kind === 'task') return infoOfTask(node);
  if (node.kind !== 'fused') return undefined;
  for (const m of node.members) {
    if (m.kind !== 'task') continue;
    const info = infoOfTask(m);
    if (info) return info;
  }
  return undefined;
}
