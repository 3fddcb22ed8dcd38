/** What the test drives in the page (window.pdaskTest), whichever bundler built it. */
import { bagOps } from '@pdask/bag/ops';
import { sharedThreadsExecutor, ThreadPool, tokenize, type ThreadsExecutor } from '@pdask/core';
import * as db from '@pdask/bag';
import { runSeedExamples, TOKEN_INPUT } from './seed-examples';

void bagOps;

function threads(): ThreadsExecutor {
  return sharedThreadsExecutor();
}

/** A bag whose tasks each take ~40 ms, and one worker terminated while they run. */
async function killMidCompute(): Promise<{ sum: number; before: number[]; after: number[]; size: number }> {
  const ex = threads();
  await runSeedExamples(); // the pool is started and warm
  const before = [...ex.pool.slots.values()].map((s) => s.worker.threadId);
  const b = db.fromSequence(Array.from({ length: 48 }, (_, i) => i), { npartitions: 24 }).map((v) => {
    const until = Date.now() + 40;
    while (Date.now() < until);
    return v * 3;
  });
  const running = b.sum().compute();
  await new Promise((r) => setTimeout(r, 150));
  const victim = [...ex.pool.slots.values()][0];
  await victim.worker.terminate();
  const sum = (await running) as number;
  await ex.pool.settled();
  const after = [...ex.pool.slots.values()].map((s) => s.worker.threadId);
  return { sum, before, after, size: ex.pool.slots.size };
}

const failure = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

/** What the page says when asked for what it cannot do. */
async function refusals(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  try {
    db.readText('/data/*.json');
    out.readText = 'no error';
  } catch (e) {
    out.readText = failure(e);
  }
  // A pool given no worker script (setWorkerSource was called for the shared pools only).
  out.noSource = await new ThreadPool({ size: 1 }).start().then(() => 'started', failure);
  out.heapLimit = await new ThreadPool({ size: 1, maxOldGenerationMb: 64, workerUrl: 'about:blank' }).start().then(() => 'started', failure);
  return out;
}

const api = {
  refusals,
  run: runSeedExamples,
  info: () => ({
    mode: threads().mode,
    platform: threads().platform,
    workers: threads().pool.options.size,
    cores: navigator.hardwareConcurrency,
    isolated: crossOriginIsolated,
    // Pure-JS MD5 here, Node's crypto there: the same keys either way.
    token: tokenize(TOKEN_INPUT),
  }),
  killMidCompute,
};

(globalThis as unknown as { pdaskTest: typeof api }).pdaskTest = api;
document.title = 'ready';
