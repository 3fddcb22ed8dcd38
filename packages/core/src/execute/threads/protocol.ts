/** Messages between the thread pool (main thread) and its workers, and between peer workers. */
import type { MessagePort } from 'node:worker_threads';
import type { GraphNode, Key, OpRef } from '../../graph/spec';
import type { SerializedError } from '../errors';

/** One task on a worker (decoded): `seq` identifies it in reports; `fetch` names inputs held by peers. */
export interface RunSpec {
  readonly seq: number;
  readonly cid: number;
  readonly node: GraphNode;
  /** [key, peer worker id] for inputs not produced on this worker. */
  readonly fetch?: readonly (readonly [Key, number])[];
}

export type ToWorker =
  | {
      readonly t: 'batch';
      /** Operations the worker has not seen yet: id -> OpRef. */
      readonly ops?: readonly (readonly [number, OpRef])[];
      /** Flat quadruples: seq, cid, encoded node (see wire.ts), fetch list ([key, peer, key, peer…]) or 0. */
      readonly run?: readonly unknown[];
      readonly release?: readonly (readonly [number, Key])[];
    }
  | { readonly t: 'gather'; readonly cid: number; readonly id: number; readonly keys: readonly Key[]; readonly move: readonly boolean[] }
  | { readonly t: 'end'; readonly cid: number };

export type FromWorker =
  | { readonly t: 'ready' }
  | {
      readonly t: 'done';
      /** Flattened triples: seq, nbytes, duration in ms. */
      readonly ok: readonly number[];
      readonly failed: readonly (readonly [number, Key, SerializedError])[];
      /** Tasks whose inputs could not be fetched from peers. */
      readonly missing: readonly number[];
    }
  | { readonly t: 'gathered'; readonly id: number; readonly values: readonly unknown[]; readonly missing: readonly Key[] };

export type PeerMessage =
  | { readonly t: 'get'; readonly id: number; readonly cid: number; readonly keys: readonly Key[] }
  | { readonly t: 'got'; readonly id: number; readonly values: readonly unknown[]; readonly missing: readonly Key[] };

export interface WorkerInit {
  readonly id: number;
  /** Int32Array over this: [seq of the task running now or -1, seq of the last one finished]. Survives the worker's death. */
  readonly current: SharedArrayBuffer;
  readonly control: MessagePort;
}

/** The comlink-exposed control surface of a worker. */
export interface WorkerControl {
  connectPeer(peerId: number, port: MessagePort): void;
  disconnectPeer(peerId: number): void;
  stats(): { stored: number; queued: number };
}
