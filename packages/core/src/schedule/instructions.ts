import type { Key } from '../graph/spec';
import type { TaskState, WorkerId } from './task-state';

/** What the state machine asks its driver (an executor or the network scheduler) to do. */
export type Instruction =
  /** Run this task on this worker; its inputs are on `task.deps[i].whoHas`. */
  | { readonly type: 'run'; readonly worker: WorkerId; readonly task: TaskState }
  /** Drop this result from this worker: nothing needs it any more. */
  | { readonly type: 'release'; readonly worker: WorkerId; readonly key: Key; readonly task: TaskState }
  /** Stop (or skip) this queued or running task: nothing needs its result any more. */
  | { readonly type: 'cancel'; readonly worker: WorkerId; readonly key: Key; readonly task: TaskState }
  /** A wanted key is in memory (on `task.whoHas`). */
  | { readonly type: 'memory'; readonly key: Key; readonly task: TaskState }
  /** A wanted key cannot be computed: `origin` failed with `error`. */
  | { readonly type: 'erred'; readonly key: Key; readonly error: unknown; readonly origin: Key };
