/// <reference path="../../types/comlink-node.d.ts" />
/**
 * The entry of a pool worker thread. Tasks arrive in batches on the parent port, run one at a
 * time in arrival (priority) order, and are reported in batches. Inputs produced on other
 * workers are fetched straight from them over peer ports, never through the main thread.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { Key, OpRef } from '../../graph/spec';
import { serializeError } from '../errors';
import { isPromiseLike, prepareOps, runNode, TaskFailure } from '../run-node';
import { sizeOf } from '../sizeof';
import { transferablesOf } from '../transfer';
import type { FromWorker, PeerMessage, RunSpec, ToWorker, WorkerControl, WorkerInit } from './protocol';
import { decodeNode, type EncodedNode } from './wire';

const init = workerData as WorkerInit;
const port = parentPort!;
const current = new Int32Array(init.current);
current[0] = -1;
current[1] = -1;

/** Results by computation. */
const stores = new Map<number, Map<Key, unknown>>();
const ended = new Set<number>();
const peers = new Map<number, MessagePort>();
/** Operations by the ids the pool assigned them for this worker. */
const ops: OpRef[] = [];

let queue: RunSpec[] = [];
let head = 0;
let draining = false;

// Reports accumulated between flushes.
let ok: number[] = [];
let failed: [number, Key, ReturnType<typeof serializeError>][] = [];
let missing: number[] = [];

function storeOf(cid: number): Map<Key, unknown> {
  let s = stores.get(cid);
  if (!s) {
    s = new Map();
    stores.set(cid, s);
  }
  return s;
}

function flush(): void {
  if (ok.length === 0 && failed.length === 0 && missing.length === 0) return;
  const msg: FromWorker = { t: 'done', ok, failed, missing };
  ok = [];
  failed = [];
  missing = [];
  port.postMessage(msg);
}

// ---- fetching inputs from peers -------------------------------------------------------------

/** Specs blocked on fetches, with the number of fetches each still waits for. */
const blocked = new Map<RunSpec, number>();
/** In-flight fetches: cid:key -> specs waiting for it. */
const fetching = new Map<string, RunSpec[]>();
/** Copies fetched from peers, with how many queued specs still need each. */
const borrowed = new Map<string, number>();
const requests = new Map<number, { cid: number; keys: readonly Key[] }>();
let nextRequest = 0;

/** Starts fetches for a spec's non-local inputs; true if it must wait. */
function needsFetch(spec: RunSpec): boolean {
  if (!spec.fetch || spec.fetch.length === 0) return false;
  const store = storeOf(spec.cid);
  const byPeer = new Map<number, Key[]>();
  let waiting = 0;
  for (const [key, peer] of spec.fetch) {
    const id = `${spec.cid}:${key}`;
    if (borrowed.has(id)) borrowed.set(id, borrowed.get(id)! + 1);
    else if (!store.has(key)) borrowed.set(id, 1);
    if (store.has(key)) continue;
    waiting++;
    const waiters = fetching.get(id);
    if (waiters) {
      waiters.push(spec);
      continue;
    }
    fetching.set(id, [spec]);
    let ks = byPeer.get(peer);
    if (!ks) byPeer.set(peer, (ks = []));
    ks.push(key);
  }
  if (waiting === 0) return false;
  blocked.set(spec, waiting);
  for (const [peer, keys] of byPeer) {
    const p = peers.get(peer);
    const id = nextRequest++;
    requests.set(id, { cid: spec.cid, keys });
    if (!p) {
      // The holder is gone: report at once, the scheduler will recompute the input.
      onGot({ t: 'got', id, values: [], missing: keys });
      continue;
    }
    const msg: PeerMessage = { t: 'get', id, cid: spec.cid, keys };
    p.postMessage(msg);
  }
  return true;
}

function onGot(msg: Extract<PeerMessage, { t: 'got' }>): void {
  const req = requests.get(msg.id);
  if (!req) return;
  requests.delete(msg.id);
  const store = storeOf(req.cid);
  const missingKeys = new Set(msg.missing);
  let vi = 0;
  const unblocked: RunSpec[] = [];
  for (const key of req.keys) {
    const id = `${req.cid}:${key}`;
    const waiters = fetching.get(id) ?? [];
    fetching.delete(id);
    const lost = missingKeys.has(key);
    if (!lost) store.set(key, msg.values[vi++]);
    for (const spec of waiters) {
      if (!blocked.has(spec)) continue;
      if (lost) {
        blocked.delete(spec);
        releaseBorrowed(spec);
        missing.push(spec.seq);
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
  drain();
}

function releaseBorrowed(spec: RunSpec): void {
  if (!spec.fetch) return;
  const store = stores.get(spec.cid);
  for (const [key] of spec.fetch) {
    const id = `${spec.cid}:${key}`;
    const n = borrowed.get(id);
    if (n === undefined) continue;
    if (n <= 1) {
      borrowed.delete(id);
      store?.delete(key);
    } else borrowed.set(id, n - 1);
  }
}

function onPeerMessage(from: MessagePort, msg: PeerMessage): void {
  if (msg.t === 'got') {
    onGot(msg);
    return;
  }
  const store = stores.get(msg.cid);
  const values: unknown[] = [];
  const miss: Key[] = [];
  for (const k of msg.keys) {
    if (store?.has(k)) values.push(store.get(k));
    else miss.push(k);
  }
  const reply: PeerMessage = { t: 'got', id: msg.id, values, missing: miss };
  from.postMessage(reply);
}

// ---- running ----------------------------------------------------------------------------------

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

async function drain(): Promise<void> {
  if (draining) return;
  draining = true;
  try {
    let lastFlush = performance.now();
    while (head < queue.length) {
      const spec = queue[head++];
      if (head > 4096 && head * 2 > queue.length) {
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
      await runOne(spec);
      const now = performance.now();
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
  }
}

async function runOne(spec: RunSpec): Promise<void> {
  const store = storeOf(spec.cid);
  const t0 = performance.now();
  current[0] = spec.seq;
  let value: unknown;
  try {
    value = runNode(spec.node, (k) => {
      if (!store.has(k)) throw new Error(`pdask internal error: input '${k}' of '${spec.node.key}' is not on this worker`);
      return store.get(k);
    });
    if (isPromiseLike(value)) value = await value;
  } catch (e) {
    current[0] = -1;
    const f = e instanceof TaskFailure ? e : new TaskFailure(spec.node.key, e);
    failed.push([spec.seq, f.key, serializeError(f.error)]);
    releaseBorrowed(spec);
    return;
  }
  current[0] = -1;
  current[1] = spec.seq;
  releaseBorrowed(spec);
  if (!ended.has(spec.cid)) {
    store.set(spec.node.key, value);
    ok.push(spec.seq, sizeOf(value), performance.now() - t0);
  }
}

port.on('message', (msg: ToWorker) => {
  switch (msg.t) {
    case 'batch':
      if (msg.release) {
        for (const [cid, key] of msg.release) {
          if (!borrowed.has(`${cid}:${key}`)) stores.get(cid)?.delete(key);
        }
      }
      if (msg.ops) for (const [id, op] of msg.ops) ops[id] = op;
      if (msg.run && msg.run.length) {
        const r = msg.run;
        for (let i = 0; i < r.length; i += 4) {
          const f = r[i + 3] as (string | number)[] | 0;
          let fetch: [Key, number][] | undefined;
          if (f) {
            fetch = [];
            for (let j = 0; j < f.length; j += 2) fetch.push([f[j] as Key, f[j + 1] as number]);
          }
          queue.push({ seq: r[i] as number, cid: r[i + 1] as number, node: decodeNode(r[i + 2] as EncodedNode, ops), fetch });
        }
        void drain();
      }
      break;
    case 'gather': {
      const store = stores.get(msg.cid);
      const values: unknown[] = [];
      const miss: Key[] = [];
      const transfer: ArrayBuffer[] = [];
      msg.keys.forEach((k, i) => {
        if (!store?.has(k)) {
          miss.push(k);
          return;
        }
        const v = store.get(k);
        values.push(v);
        // A moved result is no longer needed here: hand its buffers over instead of copying them.
        if (msg.move[i]) {
          store.delete(k);
          transferablesOf(v, transfer);
        }
      });
      const reply: FromWorker = { t: 'gathered', id: msg.id, values, missing: miss };
      port.postMessage(reply, transfer);
      break;
    }
    case 'end':
      ended.add(msg.cid);
      stores.delete(msg.cid);
      break;
  }
});

const control: WorkerControl = {
  connectPeer(peerId, p) {
    peers.set(peerId, p);
    p.on('message', (m: PeerMessage) => onPeerMessage(p, m));
    p.unref();
  },
  disconnectPeer(peerId) {
    peers.get(peerId)?.close();
    peers.delete(peerId);
  },
  stats() {
    let stored = 0;
    for (const s of stores.values()) stored += s.size;
    return { stored, queued: queue.length - head };
  },
};
Comlink.expose(control, nodeEndpoint(init.control as never));
port.postMessage({ t: 'ready' } satisfies FromWorker);
