/**
 * Messages between the thread pool (main thread) and its workers, and between peer workers.
 * Results are named by integer ids (positions in the computation's graph), not keys: see wire.ts.
 */
import type { MessagePort } from 'node:worker_threads';
import type { GraphNode, OpRef } from '../../graph/spec';
import type { SerializedError } from '../errors';
import type { ShufflePeerMessage, ShuffleRunMessage } from './shuffle-protocol';
import type { MemorySetting, SpillStats } from './resident-spill';
import type { WireRun } from './batch-wire';

/** One task on a worker (decoded): `seq` identifies it in reports; `fetch` names inputs held by peers. */
export interface RunSpec {
  readonly seq: number;
  readonly cid: number;
  readonly node: GraphNode<number>;
  /** [id, peer worker id, move] for inputs not produced on this worker (`move`: the peer may hand its copy over, this task is its last reader), or [id, AWAIT_LOCAL, false] for one still being made here. */
  readonly fetch?: readonly (readonly [number, number, boolean])[];
  /**
   * Send the result back with the report: 0 no, 1 a copy (other tasks read it here), 2 hand it
   * over; or, at RESIDENT_BASE and above, keep it in this worker's resident store under that id
   * (persist).
   */
  readonly ret: number;
}

/**
 * Ids at and above this name resident values (persisted results a worker keeps across
 * computations, see resident.ts) rather than positions in one computation's graph.
 */
export const RESIDENT_BASE = 2 ** 31;

/**
 * The peer of a fetch entry for an input this worker will hold itself (made by a task queued
 * here): the task was sent ahead (see ahead.ts) and waits until that input is stored.
 */
export const AWAIT_LOCAL = -1;

export type ToWorker =
  | {
      readonly t: 'batch';
      readonly cid: number;
      /** Operations the worker has not seen yet: id -> OpRef. */
      readonly ops?: readonly (readonly [number, OpRef])[];
      /** The tasks (see batch-wire.ts). */
      readonly run?: WireRun;
      /** Ids of results nothing needs any more. */
      readonly release?: readonly number[];
      /** Computations that ended since the last message (see ThreadPool.endComputation). */
      readonly ended?: readonly number[];
    }
  | { readonly t: 'gather'; readonly cid: number; readonly id: number; readonly ids: readonly number[]; readonly move: readonly boolean[] }
  | { readonly t: 'end'; readonly cids: readonly number[] }
  /** Resident values whose references were garbage-collected. */
  | { readonly t: 'forget'; readonly ids: readonly number[] }
  | ShuffleRunMessage
  /** The budget of task results the worker keeps in memory (see resident-spill.ts). */
  | ({ readonly t: 'memory' } & MemorySetting);

export type FromWorker =
  | { readonly t: 'ready' }
  | {
      readonly t: 'done';
      /** Flattened quadruples: seq, nbytes, the bytes of it a copy to another thread moves (not in shared memory), duration in ms. */
      readonly ok: readonly number[];
      /** Flattened pairs (seq, value) for tasks whose result the caller wanted sent back at once. */
      readonly values?: readonly unknown[];
      /** [seq, id of the failing member (the node's own id, or a fused member's local id), error]. */
      readonly failed: readonly (readonly [number, number, SerializedError])[];
      /** Flat triples (seq, input id, worker asked — a peer, or this worker itself) for inputs not found. */
      readonly missing: readonly number[];
    }
  | { readonly t: 'gathered'; readonly id: number; readonly values: readonly unknown[]; readonly missing: readonly number[] };

export type PeerMessage =
  | { readonly t: 'get'; readonly id: number; readonly cid: number; readonly ids: readonly number[]; readonly move: readonly boolean[] }
  | { readonly t: 'got'; readonly id: number; readonly values: readonly unknown[]; readonly missing: readonly number[] }
  | ShufflePeerMessage;

declare const __PDASK_BUILD_ID__: string | undefined;

/** The build of this code (set by the package build; absent when running from sources). */
export const BUILD_ID: string | undefined = typeof __PDASK_BUILD_ID__ === 'string' ? __PDASK_BUILD_ID__ : undefined;

export interface WorkerInit {
  readonly id: number;
  /** The caller's build: a worker from another build refuses to start. */
  readonly buildId?: string;
  /** Int32Array over this: [seq of the task running now or -1, seq of the last one finished]. Survives the worker's death. */
  readonly current: SharedArrayBuffer | ArrayBuffer;
  readonly control: MessagePort;
}

/** The comlink-exposed control surface of a worker. */
export interface WorkerControl {
  connectPeer(peerId: number, port: MessagePort): void;
  disconnectPeer(peerId: number): void;
  /**
   * `specsHeld`: run specs the worker's queue still references, run or not (0 once it has drained);
   * `endedHeld`: ended computations still remembered (0 once nothing here refers to them).
   */
  stats(): { stored: number; queued: number; specsHeld: number; endedHeld: number; resident: number; shuffleRuns: number; shuffleSpilledFiles: number; shuffleSpilledBytes: number; shuffleBytesInMemory: number } & SpillStats;
  /** Copies of resident values (for a caller that cannot read them in place); missing ids listed. */
  residentValues(ids: readonly number[]): { values: unknown[]; missing: number[] };
}
