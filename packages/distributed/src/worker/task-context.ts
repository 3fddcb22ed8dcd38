/**
 * Which task a piece of code runs for, across its callbacks: a task runs inside the context of
 * its key, and Node carries that context into every timer, promise and I/O callback the task
 * starts. So when a worker process dies of an uncaught error thrown by a callback, or calls
 * process.exit() from one, the task that scheduled that callback is known (even if it returned
 * long ago and another task is running now): that task, and no other, is blamed. Code that no
 * task started (the worker's own) has no key: a death there blames no task.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Key } from '@pdask/core';

export const taskContext = new AsyncLocalStorage<Key>();

/** The task whose code (or a callback it started) is running now, if any. */
export function currentTask(): Key | undefined {
  return taskContext.getStore();
}
