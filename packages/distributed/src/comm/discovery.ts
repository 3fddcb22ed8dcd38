/**
 * Finding the scheduler from a scheduler file, the way processes started together under SLURM
 * need it: the file may not exist yet (the scheduler is still starting), or may be left over from
 * a scheduler that crashed (stale) until the new one replaces it.
 */
import { readSchedulerFile, SchedulerFileError, staleMessage, type SchedulerFileContent } from '../scheduler/scheduler-file';
import { ConnectionRefusedError, connect, type Comm, type ConnectOptions } from './transport';

export interface Located {
  comm: Comm;
  file: SchedulerFileContent;
}

/**
 * Connects to the scheduler named in a file, waiting up to `timeoutMs` for the file to appear and
 * for the scheduler to answer. Fails with a message that says which of the two went wrong.
 */
export async function connectViaFile(path: string, opts: Omit<ConnectOptions, 'token'> & { timeoutMs: number }): Promise<Located> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastError: Error | undefined;
  let lastFile: SchedulerFileContent | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      const file = readSchedulerFile(path);
      lastFile = file;
      const comm = await connect(file.address, { ...opts, token: file.token, timeoutMs: Math.max(1000, Math.min(10_000, deadline - Date.now())) });
      return { comm, file };
    } catch (e) {
      // A wrong token is final: waiting will not fix it.
      if (e instanceof ConnectionRefusedError) throw e;
      lastError = e as Error;
    }
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** attempt, 500)));
  }
  if (lastFile && !(lastError instanceof SchedulerFileError)) throw new Error(staleMessage(path, lastFile, lastError?.message ?? 'no answer'));
  throw lastError ?? new Error(`No scheduler found through ${path}`);
}
