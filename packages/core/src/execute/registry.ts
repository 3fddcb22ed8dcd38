import { registerExecutor } from './executor';
import { SyncExecutor } from './sync';
import { sharedThreadsExecutor } from './threads/executor';

let registered = false;

/** Registers 'sync' and 'threads' (and Dask's other names for them) once. */
export function registerBuiltinExecutors(): void {
  if (registered) return;
  registered = true;
  const sync = new SyncExecutor();
  for (const name of ['sync', 'synchronous', 'single-threaded']) registerExecutor(name, () => sync);
  for (const name of ['threads', 'threading']) registerExecutor(name, (o) => sharedThreadsExecutor(o.numWorkers));
}
