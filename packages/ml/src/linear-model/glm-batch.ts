/**
 * Evaluations of GLM objectives that read the same data at the same time share one pass. A
 * search fits many candidates on each fold concurrently, and each solver step of each candidate
 * was a graph of its own: one compute round (graph, thread round trips, a tree of combines) per
 * candidate per step, each streaming the fold's blocks through kernel memory again. Here the
 * requests for one (X, y, compute options) that are waiting together go out as one graph whose
 * per-block task evaluates every requested coefficient vector on the block in turn.
 *
 * At most one pass per data set is in flight: requests made meanwhile wait for it and go out
 * together when it ends, after the fits it answered have had their turn to ask again, so fits
 * that start at different times fall into step after one pass. Each request's loss and gradient
 * are computed by the same per-block function over the same blocks and summed in the same tree
 * as alone; a lone request runs exactly the graph it always did. If a shared pass fails, each of
 * its requests is retried alone, so a fit fails with its own error and others are unaffected.
 */
import type { ComputeOptions } from '@pdask/core';
import { runBlockReduce } from '../graph/block-reduce';
import { optsKey } from '../graph/opts-key';
import { glmBatchOps, mlOps } from '../ops/index';
import type { GlmPartial, GlmSpec } from '../runtime/glm';
import type { GlmData } from './objective';

interface Request {
  readonly spec: GlmSpec;
  readonly beta: Float64Array;
  readonly resolve: (p: GlmPartial) => void;
  readonly reject: (e: unknown) => void;
}

interface Queue {
  readonly data: GlmData;
  readonly opts: ComputeOptions;
  pending: Request[];
  inFlight: boolean;
  scheduled: boolean;
}

const queues = new Map<string, Queue>();

/** After the current task and its microtasks: the fits just answered ask again before the next pass leaves. */
const later: (f: () => void) => void = typeof setImmediate === 'function' ? (f) => setImmediate(f) : (f) => setTimeout(f, 0);

function single(data: GlmData, spec: GlmSpec, beta: Float64Array, opts: ComputeOptions): Promise<GlmPartial> {
  return runBlockReduce<GlmPartial>({ label: `glm-${spec.family}`, x: data.x, y: data.y, partial: mlOps.glmPartial, partialArgs: () => [spec, beta], combine: mlOps.combineGlm }, opts);
}

/** One pass's loss, gradient (and Hessian when spec.hess) over the blocks of data at beta, shared with concurrent requests on the same data. */
export function evaluateGlm(data: GlmData, spec: GlmSpec, beta: Float64Array, opts: ComputeOptions): Promise<GlmPartial> {
  const key = `${data.x.name}|${data.y.name}|${optsKey(opts)}`;
  let q = queues.get(key);
  if (!q) queues.set(key, (q = { data, opts, pending: [], inFlight: false, scheduled: false }));
  const queue = q;
  return new Promise<GlmPartial>((resolve, reject) => {
    queue.pending.push({ spec, beta, resolve, reject });
    schedule(key, queue);
  });
}

function schedule(key: string, q: Queue): void {
  if (q.inFlight || q.scheduled) return;
  q.scheduled = true;
  later(() => {
    q.scheduled = false;
    void flush(key, q);
  });
}

async function flush(key: string, q: Queue): Promise<void> {
  if (q.inFlight || q.pending.length === 0) return;
  const batch = q.pending;
  q.pending = [];
  q.inFlight = true;
  try {
    if (batch.length === 1) {
      const r = batch[0];
      await single(q.data, r.spec, r.beta, q.opts).then(r.resolve, r.reject);
    } else {
      const specs = batch.map((r) => r.spec);
      const betas = batch.map((r) => r.beta);
      let parts: GlmPartial[] | null = null;
      try {
        parts = await runBlockReduce<GlmPartial[]>(
          { label: 'glm-batch', x: q.data.x, y: q.data.y, partial: glmBatchOps.glmPartialMany, partialArgs: () => [specs, betas], combine: glmBatchOps.combineGlmMany },
          q.opts,
        );
      } catch {
        // Each request alone, so that each fit gets its own outcome.
        await Promise.all(batch.map((r) => single(q.data, r.spec, r.beta, q.opts).then(r.resolve, r.reject)));
      }
      if (parts) batch.forEach((r, i) => r.resolve(parts![i]));
    }
  } finally {
    q.inFlight = false;
    if (q.pending.length) schedule(key, q);
    else queues.delete(key);
  }
}
