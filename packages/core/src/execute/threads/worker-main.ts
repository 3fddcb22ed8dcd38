/**
 * The entry of a pool worker thread. Tasks arrive in batches on the parent port, run one at a
 * time in arrival (priority) order, and are reported in batches. Inputs produced on other
 * workers are fetched straight from them over peer ports, never through the main thread.
 */
import type { MessagePort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import { workerPlatform } from '#platform';
import type { OpRef } from '../../graph/spec';
import { serializeError, type SerializedError } from '../errors';
import { isPromiseLike, prepareOps, runNode, TaskFailure } from '../run-node';
import { measureInto, sizeOf, type ValueSizes } from '../sizeof';
import { transferablesOf } from '../transfer';
import { PinnedBuffers } from './aliases';
import { AWAIT_LOCAL, BUILD_ID, RESIDENT_BASE, type FromWorker, type PeerMessage, type RunSpec, type ToWorker, type WorkerControl, type WorkerInit } from './protocol';
import { readRun } from './batch-wire';
import { ShuffleService } from './shuffle-service';
import { SpillBudget, SpillMap } from './resident-spill';

const init: WorkerInit = workerPlatform.init();
if (init.buildId && BUILD_ID && init.buildId !== BUILD_ID) {
  throw new Error(
    `@pdask/core was rebuilt while this program ran: the caller is build ${init.buildId}, this worker thread is build ${BUILD_ID}. Restart the program.`,
  );
}
const port = { postMessage: workerPlatform.post };
const current = new Int32Array(init.current);
current[0] = -1;
current[1] = -1;

/** Ids forgotten before their task stored them (a failed persist whose task still ran). */
const forgottenEarly = new Set<number>();
/** The objects among them: a reader must copy them, never take their buffers. */
const residentObjects = new WeakSet<object>();
const isResidentObject = (v: unknown): boolean => typeof v === 'object' && v !== null && residentObjects.has(v);
/** This thread's memory budget for the results below: past it they spill to disk (resident-spill.ts). */
const spill = new SpillBudget(`w${init.id}-`);
/** Results by computation, by id. A persisted result is also here, as an alias of its resident copy (which alone spills). */
const stores = new Map<number, SpillMap>();
const notResident = { canSpill: (v: unknown): boolean => !isResidentObject(v) };
/** Persisted results kept across computations, by resident id (see resident.ts). */
const resident = new SpillMap(spill, sizeOf, { onRestore: (v) => typeof v === 'object' && v !== null && residentObjects.add(v) });
/** Buffers a result shares with its inputs: copied, never moved, so the other value keeps its data. */
const pinned = new PinnedBuffers();
/** Reused by every result's measurement (read at once, before anything else measures). */
const sizes: ValueSizes = { nbytes: 0, shared: 0 };
const ended = new Set<number>();
const peers = new Map<number, MessagePort>();
/** The peer-to-peer shuffle's pieces and runs (installed as this thread's shuffle runtime). */
const shuffles = new ShuffleService(init.id, peers);
/** Operations by the ids the pool assigned them for this worker. */
const ops: OpRef[] = [];

let queue: RunSpec[] = [];
let head = 0;
let draining = false;

// Reports accumulated between flushes.
let ok: number[] = [];
let returned: unknown[] = [];
let returnedBuffers: ArrayBuffer[] = [];
/** The graph key of each value in `returned` (for the error of one that cannot be sent). */
let returnedKeys: number[] = [];
let failed: [number, number, SerializedError][] = [];
let missing: number[] = [];

/** One number for (computation, id), for maps spanning computations. */
const slot = (cid: number, id: number): number => cid * 4294967296 + id;

function storeOf(cid: number): SpillMap {
  let s = stores.get(cid);
  if (!s) stores.set(cid, (s = new SpillMap(spill, sizeOf, notResident)));
  return s;
}

function flush(): void {
  if (ok.length === 0 && failed.length === 0 && missing.length === 0) return;
  const msg: FromWorker = { t: 'done', ok, failed, missing, values: returned.length ? returned : undefined };
  const transfer = returnedBuffers;
  const keys = returnedKeys;
  ok = [];
  failed = [];
  missing = [];
  returned = [];
  returnedBuffers = [];
  returnedKeys = [];
  try {
    port.postMessage(msg, transfer);
  } catch (e) {
    // A result that cannot cross threads (a function, a class instance holding one, a
    // generator...) would otherwise kill this worker: fail its task instead, send the others.
    if (!isCloneError(e)) throw e;
    port.postMessage(withoutUncloneable(msg, keys), transfer);
  }
}

const isCloneError = (e: unknown): boolean => e instanceof Error && e.name === 'DataCloneError';

/** The report with every returned value that cannot be cloned moved from `ok` to `failed`. */
function withoutUncloneable(msg: Extract<FromWorker, { t: 'done' }>, keys: readonly number[]): FromWorker {
  const values = msg.values ?? [];
  const keptValues: unknown[] = [];
  const bad = new Map<number, SerializedError>();
  for (let i = 0; i < values.length; i += 2) {
    const seq = values[i] as number;
    const v = values[i + 1];
    try {
      structuredClone(v);
      keptValues.push(seq, v);
    } catch (e) {
      const what = typeof v === 'function' ? 'a function' : v === null || typeof v !== 'object' ? typeof v : `an object of class ${(v as object).constructor?.name ?? 'Object'}`;
      const err = new TypeError(`The task's result (${what}) cannot be sent between threads: ${(e as Error).message.replace(/\.$/, '')}. Return plain data (numbers, strings, arrays, plain objects, typed arrays), or compute with { scheduler: 'sync' }`);
      err.name = 'DataCloneError';
      bad.set(seq, serializeError(err));
    }
  }
  const keyOf = new Map<number, number>();
  for (let i = 0, j = 0; i < values.length; i += 2, j++) keyOf.set(values[i] as number, keys[j]);
  const ok: number[] = [];
  for (let i = 0; i < msg.ok.length; i += 4) if (!bad.has(msg.ok[i])) ok.push(msg.ok[i], msg.ok[i + 1], msg.ok[i + 2], msg.ok[i + 3]);
  const failed = [...msg.failed, ...[...bad].map(([seq, err]): [number, number, SerializedError] => [seq, keyOf.get(seq)!, err])];
  return { t: 'done', ok, failed, missing: msg.missing, values: keptValues.length ? keptValues : undefined };
}

// ---- fetching inputs from peers -------------------------------------------------------------

/** Specs blocked on fetches, with the number of fetches each still waits for. */
const blocked = new Map<RunSpec, number>();
/** In-flight fetches: slot(cid, id) -> specs waiting for it, and the peer asked. */
const fetching = new Map<number, { peer: number; specs: RunSpec[] }>();
/** Copies fetched from peers, with how many queued specs still need each. */
const borrowed = new Map<number, number>();
const requests = new Map<number, { cid: number; peer: number; ids: readonly number[] }>();
let nextRequest = 0;
/** Specs sent ahead waiting for inputs made here (AWAIT_LOCAL): slot(cid, id) -> those specs. */
const awaiting = new Map<number, RunSpec[]>();

/** A result was stored here: specs sent ahead that waited for it may run once nothing else is missing. */
function stored(cid: number, id: number): void {
  const s = slot(cid, id);
  const specs = awaiting.get(s);
  if (specs === undefined) return;
  awaiting.delete(s);
  let unblocked: RunSpec[] | undefined;
  for (const spec of specs) {
    const left = blocked.get(spec);
    if (left === undefined) continue;
    if (left > 1) blocked.set(spec, left - 1);
    else {
      blocked.delete(spec);
      (unblocked ??= []).push(spec);
    }
  }
  // Due now: ahead of the rest of the queue, as unblocked fetches are.
  if (unblocked) {
    queue = [...unblocked, ...queue.slice(head)];
    head = 0;
  }
}

/** Starts fetches for a spec's non-local inputs; true if it must wait. */
function needsFetch(spec: RunSpec): boolean {
  if (!spec.fetch || spec.fetch.length === 0) return false;
  const store = storeOf(spec.cid);
  let byPeer: Map<number, { ids: number[]; move: boolean[] }> | undefined;
  let waiting = 0;
  for (const [id, peer, move] of spec.fetch) {
    const s = slot(spec.cid, id);
    if (peer === AWAIT_LOCAL) {
      if (store.has(id)) continue;
      waiting++;
      const specs = awaiting.get(s);
      if (specs) specs.push(spec);
      else awaiting.set(s, [spec]);
      continue;
    }
    const here = store.has(id) || resident.has(id);
    const n = borrowed.get(s);
    if (n !== undefined) borrowed.set(s, n + 1);
    else if (!here) borrowed.set(s, 1);
    if (here) continue;
    waiting++;
    const inFlight = fetching.get(s);
    if (inFlight) {
      inFlight.specs.push(spec);
      continue;
    }
    fetching.set(s, { peer, specs: [spec] });
    byPeer ??= new Map();
    let req = byPeer.get(peer);
    if (!req) byPeer.set(peer, (req = { ids: [], move: [] }));
    req.ids.push(id);
    req.move.push(move);
  }
  if (waiting === 0) return false;
  blocked.set(spec, waiting);
  for (const [peer, { ids, move }] of byPeer ?? []) {
    const p = peers.get(peer);
    const id = nextRequest++;
    requests.set(id, { cid: spec.cid, peer, ids });
    if (!p) {
      // The holder is gone: report at once, the scheduler will recompute the input.
      onGot({ t: 'got', id, values: [], missing: ids });
      continue;
    }
    const msg: PeerMessage = { t: 'get', id, cid: spec.cid, ids, move };
    p.postMessage(msg);
  }
  return true;
}

function onGot(msg: Extract<PeerMessage, { t: 'got' }>): void {
  const req = requests.get(msg.id);
  if (!req) return;
  requests.delete(msg.id);
  const store = storeOf(req.cid);
  const lostIds = new Set(msg.missing);
  let vi = 0;
  const unblocked: RunSpec[] = [];
  for (const id of req.ids) {
    const s = slot(req.cid, id);
    const waiters = fetching.get(s)?.specs ?? [];
    fetching.delete(s);
    const lost = lostIds.has(id);
    if (!lost) store.set(id, msg.values[vi++]);
    for (const spec of waiters) {
      if (!blocked.has(spec)) continue;
      if (lost) {
        blocked.delete(spec);
        releaseBorrowed(spec);
        missing.push(spec.seq, id, req.peer);
        continue;
      }
      const left = blocked.get(spec)! - 1;
      if (left === 0) {
        blocked.delete(spec);
        unblocked.push(spec);
      } else blocked.set(spec, left);
    }
  }
  if (unblocked.length) {
    // Their peers answered: run them before the rest of the queue, they were already due.
    queue = [...unblocked, ...queue.slice(head)];
    head = 0;
  }
  flush();
  void drain();
}

function releaseBorrowed(spec: RunSpec): void {
  if (!spec.fetch) return;
  const store = stores.get(spec.cid);
  for (const [id, peer] of spec.fetch) {
    if (peer === AWAIT_LOCAL) continue;
    const s = slot(spec.cid, id);
    const n = borrowed.get(s);
    if (n === undefined) continue;
    if (n <= 1) {
      borrowed.delete(s);
      store?.delete(id);
    } else borrowed.set(s, n - 1);
  }
}

/**
 * The values of some results, for a peer or the caller. Those flagged `move` leave this worker:
 * removed from the store, their buffers listed for transfer rather than copied.
 */
function takeValues(cid: number, ids: readonly number[], move: readonly boolean[]): { values: unknown[]; missing: number[]; transfer: ArrayBuffer[] } {
  const store = stores.get(cid);
  const values: unknown[] = [];
  const missing: number[] = [];
  const transfer: ArrayBuffer[] = [];
  ids.forEach((id, i) => {
    if (!store?.has(id)) {
      if (resident.has(id)) values.push(resident.get(id));
      else missing.push(id);
      return;
    }
    const v = store.get(id);
    values.push(v);
    if (move[i] && !isResidentObject(v)) {
      store.delete(id);
      const from = transfer.length;
      transferablesOf(v, transfer);
      pinned.unpin(transfer, from);
    }
  });
  return { values, missing, transfer };
}

function onPeerMessage(from: MessagePort, msg: PeerMessage): void {
  if (shuffles.onPeer(from, msg)) return;
  if (msg.t === 'got') {
    onGot(msg);
    return;
  }
  // The asker runs the last reader of the results it may move: their buffers are handed over.
  const { values, missing: miss, transfer } = takeValues(msg.cid, msg.ids, msg.move);
  const reply: PeerMessage = { t: 'got', id: msg.id, values, missing: miss };
  from.postMessage(reply, transfer);
}

// ---- running ----------------------------------------------------------------------------------

function yieldToEventLoop(): Promise<void> {
  return workerPlatform.yieldTurn();
}

async function drain(): Promise<void> {
  if (draining) return;
  draining = true;
  try {
    let lastFlush = performance.now();
    while (head < queue.length) {
      const spec = queue[head++];
      // A drained queue lets go of its specs at once: kept until 4,096 had run, they held each
      // batch's decoded nodes (literal blocks, expressions) alive into the old generation, so
      // every small computation's batch was copied by two scavenges and grew the heap.
      if (head === queue.length) {
        queue.length = 0;
        head = 0;
      } else if (head > 4096 && head * 2 > queue.length) {
        queue = queue.slice(head);
        head = 0;
      }
      if (ended.has(spec.cid)) continue;
      if (needsFetch(spec)) continue;
      const loading = prepareOps(spec.node);
      if (loading) {
        try {
          await loading;
        } catch (e) {
          failed.push([spec.seq, spec.node.key, serializeError(e)]);
          releaseBorrowed(spec);
          continue;
        }
      }
      const running = runOne(spec);
      if (running !== undefined) await running;
      // Specs sent ahead may be waiting for this result (only if it was stored here).
      if (awaiting.size !== 0 && stores.get(spec.cid)?.has(spec.node.key)) stored(spec.cid, spec.node.key);
      const now = taskEnd;
      // Report regularly so the scheduler can keep every worker fed, and let peer requests in.
      if (now - lastFlush > 2) {
        flush();
        await yieldToEventLoop();
        lastFlush = performance.now();
      }
    }
  } finally {
    draining = false;
    flush();
    forgetEnded();
  }
}

/** An input the scheduler believed was here is not (a peer took it, or it was released). */
class MissingInput {
  constructor(readonly id: number) {}
}

/** When the last task run here finished (read by drain: one clock read per task, not two). */
let taskEnd = 0;

/**
 * Runs one task; a promise only if the task returned one. A synchronous task (most tiny ones)
 * costs no promise and no microtask turn: awaiting every task was a share of a worker's time on
 * graphs of tiny tasks.
 */
function runOne(spec: RunSpec): Promise<void> | undefined {
  const store = storeOf(spec.cid);
  const t0 = performance.now();
  current[0] = spec.seq;
  shuffles.current = spec.cid;
  let value: unknown;
  const inputs: unknown[] = [];
  try {
    value = runNode(spec.node, (id) => {
      if (store.has(id)) return inputs[inputs.push(store.get(id)) - 1];
      if (id >= RESIDENT_BASE && resident.has(id)) return inputs[inputs.push(resident.get(id)) - 1];
      throw new MissingInput(id);
    });
  } catch (e) {
    taskThrew(spec, e);
    return undefined;
  }
  if (isPromiseLike(value)) {
    return Promise.resolve(value).then(
      (v) => taskReturned(spec, store, v, inputs, t0),
      (e: unknown) => taskThrew(spec, e),
    );
  }
  taskReturned(spec, store, value, inputs, t0);
  return undefined;
}

function taskThrew(spec: RunSpec, e: unknown): void {
  current[0] = -1;
  taskEnd = performance.now();
  const cause = e instanceof TaskFailure ? (e as TaskFailure<number>).error : e;
  if (cause instanceof MissingInput) {
    // Not the task's fault: the scheduler forgets this replica and recomputes the input.
    missing.push(spec.seq, cause.id, init.id);
    releaseBorrowed(spec);
    return;
  }
  const f = e instanceof TaskFailure ? (e as TaskFailure<number>) : new TaskFailure(spec.node.key, e);
  failed.push([spec.seq, f.key, serializeError(f.error)]);
  releaseBorrowed(spec);
}

function taskReturned(spec: RunSpec, store: SpillMap, value: unknown, inputs: unknown[], t0: number): void {
  current[0] = -1;
  current[1] = spec.seq;
  releaseBorrowed(spec);
  taskEnd = performance.now();
  if (ended.has(spec.cid)) return;
  // This worker now owns the result: a stale borrowed copy's bookkeeping must not delete it.
  borrowed.delete(slot(spec.cid, spec.node.key));
  // A wanted result goes back with the report (saving the caller a gather round trip); handed
  // over when nothing else here reads it, else copied and kept.
  // One walk gives both figures (moveBytes: what a copy to another thread would move).
  const { nbytes, shared } = measureInto(value, sizes);
  const moveBytes = nbytes - shared;
  if (spec.ret >= RESIDENT_BASE) {
    if (!forgottenEarly.delete(spec.ret)) {
      if (typeof value === 'object' && value !== null) residentObjects.add(value);
      resident.set(spec.ret, value, nbytes);
    }
  } else if (spec.ret) {
    returned.push(spec.seq, value);
    returnedKeys.push(spec.node.key);
  }
  pinned.noteTask(value, inputs);
  if (spec.ret === 2) {
    const from = returnedBuffers.length;
    transferablesOf(value, returnedBuffers);
    pinned.unpin(returnedBuffers, from);
  } else if (spec.ret >= RESIDENT_BASE && resident.has(spec.ret)) store.setAlias(spec.node.key, resident, spec.ret);
  else store.set(spec.node.key, value, nbytes);
  ok.push(spec.seq, nbytes, moveBytes, taskEnd - t0);
}

function endComputations(cids: readonly number[]): void {
  for (const cid of cids) {
    ended.add(cid);
    // Its spill files go with it.
    stores.get(cid)?.clear();
    stores.delete(cid);
    shuffles.endComputation(cid);
  }
  // Specs sent ahead whose inputs never came (a failure ended the computation first).
  for (const [s, specs] of awaiting) {
    if (!ended.has(specs[0].cid)) continue;
    awaiting.delete(s);
    for (const spec of specs) blocked.delete(spec);
  }
  // Fetches in flight: their replies find no request and are dropped (onGot). Answered, they
  // would make a new store for the ended computation that nothing ever clears.
  for (const [id, req] of requests) {
    if (!ended.has(req.cid)) continue;
    requests.delete(id);
    for (const x of req.ids) {
      const s = slot(req.cid, x);
      for (const spec of fetching.get(s)?.specs ?? []) blocked.delete(spec);
      fetching.delete(s);
      borrowed.delete(s);
    }
  }
  forgetEnded();
}

/**
 * Ended computations are remembered only while a spec of theirs may still be queued or running:
 * endComputations drops their blocked specs and fetches at once, and the pool sends nothing for a
 * computation after telling of its end. Kept for good, the set grew by one id per computation for the pool's life.
 */
function forgetEnded(): void {
  if (ended.size === 0 || draining || head < queue.length) return;
  ended.clear();
}

function onBatch(msg: Extract<ToWorker, { t: 'batch' }>): void {
  if (msg.ended) endComputations(msg.ended);
  if (msg.ops) for (const [id, op] of msg.ops) ops[id] = op;
  if (msg.release) {
    const store = stores.get(msg.cid);
    for (const id of msg.release) if (!borrowed.has(slot(msg.cid, id))) store?.delete(id);
  }
  const r = msg.run;
  if (!r) return;
  readRun(r, msg.cid, ops, queue);
  void drain();
}

function onGather(msg: Extract<ToWorker, { t: 'gather' }>): void {
  // A moved result is no longer needed here: its buffers are handed over instead of copied.
  const { values, missing: miss, transfer } = takeValues(msg.cid, msg.ids, msg.move);
  const reply: FromWorker = { t: 'gathered', id: msg.id, values, missing: miss };
  port.postMessage(reply, transfer);
}

workerPlatform.onMessage((msg: ToWorker) => {
  switch (msg.t) {
    case 'batch':
      onBatch(msg);
      break;
    case 'gather':
      onGather(msg);
      break;
    case 'end':
      endComputations(msg.cids);
      break;
    case 'forget':
      for (const id of msg.ids) if (!resident.delete(id)) forgottenEarly.add(id);
      break;
    case 'shuffle-run':
      shuffles.onRun(msg);
      break;
    case 'memory':
      spill.configure(msg);
      break;
  }
});

const control: WorkerControl = {
  connectPeer(peerId, p) {
    peers.set(peerId, p);
    workerPlatform.listen(p, (m: PeerMessage) => onPeerMessage(p, m));
  },
  disconnectPeer(peerId) {
    peers.get(peerId)?.close();
    peers.delete(peerId);
    // The peer died: it will never answer what was asked of it. Its tasks report the inputs
    // missing, and the scheduler recomputes them (else they would wait forever).
    for (const [id, req] of requests) if (req.peer === peerId) onGot({ t: 'got', id, values: [], missing: [...req.ids] });
    shuffles.peerLost(peerId);
  },
  stats() {
    let stored = 0;
    for (const s of stores.values()) stored += s.size;
    return { stored, queued: queue.length - head, specsHeld: queue.length, endedHeld: ended.size, resident: resident.size, ...shuffles.stats(), ...spill.stats };
  },
  residentValues(ids) {
    const values: unknown[] = [];
    const missing: number[] = [];
    for (const id of ids) {
      if (resident.has(id)) values.push(resident.get(id));
      else missing.push(id);
    }
    return { values, missing };
  },
};
Comlink.expose(control, workerPlatform.endpoint(init.control));
port.postMessage({ t: 'ready' } satisfies FromWorker);
