/**
 * Reaching the scheduler at start-up, as Dask's workers do: retry with growing pauses, say so on
 * each failed attempt, and give up with one clear error once the death timeout has passed. The
 * scheduler is found by address (with a token) or through a scheduler file that may not exist yet
 * (processes started together under SLURM) or may be left over from a crashed scheduler. Workers,
 * nannies and clients all reach it this way.
 */
import { readSchedulerFile, SchedulerFileError, staleMessage } from '../scheduler/scheduler-file';
import { ConnectionRefusedError, connect, type Comm } from './transport';
import { TlsCertificateError, type TlsMaterial } from './security';

export type SchedulerTarget = { address: string; token: string } | { schedulerFile: string };

export interface ReachOptions {
  role: string;
  tls?: TlsMaterial;
  /** The scheduler's unix socket (a LocalCluster's, for its workers): connect there, not over TCP. */
  socketPath?: string;
  /** Give up after this long (Dask's --death-timeout). */
  timeoutMs: number;
  /** What the timeout is called in the final error (default 'the death timeout'). */
  timeoutName?: string;
  /** One line per failed attempt. */
  log?: (line: string) => void;
  /** First pause between attempts; doubled after each, up to `maxDelayMs` (defaults 100 ms, 5 s). */
  firstDelayMs?: number;
  maxDelayMs?: number;
}

export interface Reached {
  comm: Comm;
  address: string;
  token: string;
}

/** No scheduler answered within the death timeout. */
export class SchedulerUnreachableError extends Error {
  override name = 'SchedulerUnreachableError';
}

export async function reachScheduler(target: SchedulerTarget, opts: ReachOptions): Promise<Reached> {
  const t0 = Date.now();
  const deadline = t0 + opts.timeoutMs;
  let delay = opts.firstDelayMs ?? 100;
  let lastError: Error | undefined;
  let address: string | undefined;
  const file = 'schedulerFile' in target ? target.schedulerFile : undefined;
  for (let attempt = 1; ; attempt++) {
    let staleFile: ReturnType<typeof readSchedulerFile> | undefined;
    try {
      const { address: a, token } = file === undefined ? (target as { address: string; token: string }) : (staleFile = readSchedulerFile(file));
      address = a;
      // One attempt never outlives the deadline by much: a silent host would otherwise hold it for the whole handshake timeout.
      const comm = await connect(a, { token, role: opts.role, tls: opts.tls, socketPath: opts.socketPath, timeoutMs: Math.max(500, Math.min(10_000, deadline - Date.now())) });
      return { comm, address: a, token };
    } catch (e) {
      // A wrong token or an untrusted certificate is final: waiting will not fix it.
      if (e instanceof ConnectionRefusedError || e instanceof TlsCertificateError) throw e;
      lastError = staleFile && !(e instanceof SchedulerFileError) ? new Error(staleMessage(file!, staleFile, (e as Error).message)) : (e as Error);
    }
    const left = deadline - Date.now();
    if (left <= 0) break;
    const pause = Math.min(delay, left);
    opts.log?.(`Attempt ${attempt} to reach the scheduler failed: ${firstLine(lastError.message)}; retrying in ${(pause / 1000).toFixed(1)} s`);
    await new Promise((r) => setTimeout(r, pause));
    delay = Math.min(delay * 2, opts.maxDelayMs ?? 5000);
  }
  const where = file === undefined ? `at ${address}` : `through ${file}`;
  throw new SchedulerUnreachableError(
    `No scheduler answered ${where} within ${opts.timeoutName ?? 'the death timeout'} of ${formatSeconds(opts.timeoutMs)}: giving up (last error: ${lastError?.message ?? 'none'})`,
  );
}

function firstLine(s: string): string {
  const nl = s.indexOf('\n');
  return nl < 0 ? s : s.slice(0, nl);
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}
