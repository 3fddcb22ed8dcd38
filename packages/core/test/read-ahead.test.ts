/**
 * Root-task queuing under a memory limit (read-ahead.ts), driven through the scheduler state with
 * the threads executor's placement: 40 partitions read (roots) and each reduced by one task, the
 * reads ordered first-to-last and each reduction right after its read, as core's `order` does.
 */
import { describe, expect, it } from 'vitest';
import * as config from '../src/config/config';
import { ref, taskNode, type GraphNode, type OpRef } from '../src/graph/spec';
import type { Instruction } from '../src/schedule/instructions';
import { LocalityPolicy, type PlacementPolicy } from '../src/schedule/placement';
import { SchedulerState } from '../src/schedule/state';
import { MIN_ROOTS_PER_THREAD, ReadAheadPolicy } from '../src/execute/threads/read-ahead';

const op: OpRef = { k: 'src', src: '(...a) => a.length', name: 'f' };
const PARTS = 40;
const MB = 2 ** 20;

function graph(): { nodes: GraphNode[]; priority: (k: string) => number } {
  const nodes: GraphNode[] = [];
  const prio = new Map<string, number>();
  for (let i = 0; i < PARTS; i++) {
    nodes.push(taskNode(`read-${i}`, op, []), taskNode(`reduce-${i}`, op, [ref(`read-${i}`)]));
    prio.set(`read-${i}`, 2 * i);
    prio.set(`reduce-${i}`, 2 * i + 1);
  }
  nodes.push(taskNode('total', op, Array.from({ length: PARTS }, (_, i) => ref(`reduce-${i}`))));
  prio.set('total', 2 * PARTS);
  return { nodes, priority: (k) => prio.get(k)! };
}

const runs = (ins: Instruction[]): string[] => ins.flatMap((i) => (i.type === 'run' ? [i.task.key] : []));

/** Runs the graph on one worker thread; returns the most reads queued or running at once. */
function mostReadsInFlight(policy: PlacementPolicy, readBytes: number): number {
  const s = new SchedulerState({ policy, validate: true });
  s.addWorker('w', 1);
  const { nodes, priority } = graph();
  let pending = runs(s.updateGraph({ nodes, wanted: ['total'], priority }));
  const inFlight = new Set<string>(pending.filter((k) => k.startsWith('read-')));
  let most = inFlight.size;
  // The worker runs its queue in arrival order, one task at a time, reporting each.
  while (pending.length) {
    const key = pending.shift()!;
    inFlight.delete(key);
    const next = runs(s.taskFinished(key, 'w', { nbytes: key.startsWith('read-') ? readBytes : 8, durationMs: 0.1 }));
    for (const k of next) if (k.startsWith('read-')) inFlight.add(k);
    most = Math.max(most, inFlight.size);
    pending.push(...next);
  }
  expect(s.status('total')).toBe('memory');
  return most;
}

describe('ReadAheadPolicy: roots queued by bytes under a memory limit', () => {
  it('without it, a worker is handed a queue depth of reads before the first reduction', () => {
    expect(mostReadsInFlight(new LocalityPolicy(), 4 * MB)).toBeGreaterThanOrEqual(32);
  });

  it('with it, reads in flight stay at what the read-ahead bytes allow (at least two per thread)', () => {
    // 16 MB of read-ahead, 4 MB partitions: 4 reads at once; each reduction runs before the next read is sent.
    expect(mostReadsInFlight(new ReadAheadPolicy(new LocalityPolicy(), 16 * MB), 4 * MB)).toBe(4);
    // Partitions larger than the read-ahead: still one running and one next.
    expect(mostReadsInFlight(new ReadAheadPolicy(new LocalityPolicy(), 16 * MB), 64 * MB)).toBe(MIN_ROOTS_PER_THREAD);
    // Tiny roots (a few bytes each) go in batches as deep as the base policy allows.
    expect(mostReadsInFlight(new ReadAheadPolicy(new LocalityPolicy(), 16 * MB), 8)).toBeGreaterThan(16);
  });

  it('refuses a read-ahead that is not a positive number of bytes', () => {
    expect(() => new ReadAheadPolicy(new LocalityPolicy(), 0)).toThrow(/read-ahead must be a number of bytes > 0, got 0/);
  });
});

describe('config: memory settings are refused by name when misspelt', () => {
  it("refuses unknown keys under 'threads.' and 'shuffle.', suggesting the near one", () => {
    expect(() => config.set({ 'threads.memory-limt': '1GiB' })).toThrow(/Unknown configuration key 'threads.memory-limt'; did you mean 'threads.memory-limit'\?/);
    expect(() => config.set({ 'shuffle.memory_budgt': '1GiB' })).toThrow(/did you mean 'shuffle.memory-budget'/);
    expect(() => config.set({ 'threads.spill': 0.7 })).toThrow(/known threads.\* keys: .*threads.memory-target/);
    const s = config.set({ 'threads.memory_limit': '1GiB', 'shuffle.memory-budget': '64MiB', 'other.namespace.key': 1 });
    expect(config.get('threads.memory-limit')).toBe('1GiB');
    expect(config.get('shuffle.memory-budget')).toBe('64MiB');
    s.restore();
    expect(config.get('shuffle.memory-budget')).toBe('256MiB');
  });
});
