import type { StoryEntry } from '../../schedule/story';
import { mainPlatform } from '#platform';
import type { PlatformName, ThreadsMode } from './platform';
import { workerSource } from './worker-source';
import * as config from '../../config/config';
import type { Key } from '../../graph/spec';
import type { ExecuteRequest, Executor } from '../executor';
import { Computation } from './computation';
import { ThreadPool } from './pool';
import { memoryConfig } from './resident-spill-setting';

/** Runs graphs on a pool of worker threads (the default scheduler). */
export class ThreadsExecutor implements Executor {
  readonly name = 'threads';
  readonly taskTimeouts = true;
  /** Where the workers run: Node worker threads, or a page's module Web Workers. */
  readonly platform: PlatformName = mainPlatform.name;
  private readonly started: Promise<void>;

  constructor(readonly pool: ThreadPool) {
    this.started = pool.start();
    // A failed start is reported by the first execute(), not as an unhandled rejection.
    this.started.catch(() => undefined);
  }

  execute(req: ExecuteRequest): Promise<Map<Key, unknown>> {
    return this.run(req, false);
  }

  /** What happened to `key` in this pool's computations, oldest first. */
  story(key: Key): StoryEntry[] {
    return this.pool.stories.story(key);
  }

  /** Results stay in the worker threads that computed them; the map holds ResidentValues. */
  persist(req: ExecuteRequest): Promise<Map<Key, unknown>> {
    return this.run(req, true);
  }

  private async run(req: ExecuteRequest, keep: boolean): Promise<Map<Key, unknown>> {
    // Read before waiting: the caller's config.set scope may end once compute() has returned its promise.
    const memory = memoryConfig(this.pool.options.size);
    await this.started;
    this.pool.setMemory(memory);
    return new Computation(this.pool, req, {
      targetBatchMs: config.get<number>('threads.target-batch-ms'),
      allowedWorkerDeaths: config.get<number>('scheduler.allowed-failures'),
      keep,
      // Under a memory limit, roots queued per thread may make half of what the thread keeps.
      readAhead: memory.budget > 0 ? memory.budget / 2 : undefined,
    }).run();
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  /**
   * How data crosses to the workers: `'shared'` when SharedArrayBuffer is available (Node, or a
   * cross-origin isolated page), else `'transfer'` (buffers moved or copied). See ThreadsMode.
   */
  get mode(): ThreadsMode {
    return mainPlatform.mode();
  }
}

const shared = new Map<number, ThreadsExecutor>();

/**
 * The process-wide executor for a pool size, created on first use and reused by later computes
 * (worker start-up is paid once). Idle pools do not keep the process alive.
 */
export function sharedThreadsExecutor(numWorkers?: number): ThreadsExecutor {
  const n = Math.max(1, Math.floor(numWorkers ?? config.get<number>('num-workers') ?? mainPlatform.cores()));
  let ex = shared.get(n);
  if (!ex) {
    ex = new ThreadsExecutor(new ThreadPool({ size: n, maxOldGenerationMb: config.get<number>('threads.max-old-generation-mb'), ...workerSource(config.get<string | null>('threads.worker-url')) }));
    shared.set(n, ex);
  }
  return ex;
}

/** Stops every shared pool (tests, and programs that want a prompt exit). */
export async function closeThreadPools(): Promise<void> {
  const all = [...shared.values()];
  shared.clear();
  await Promise.all(all.map((e) => e.close()));
}
