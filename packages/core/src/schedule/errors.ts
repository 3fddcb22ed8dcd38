import type { Key } from '../graph/spec';

/** A task took down the workers that ran it too many times; it is not tried again. */
export class KilledWorkerError extends Error {
  override name = 'KilledWorkerError';
  constructor(
    readonly key: Key,
    readonly deaths: number,
    readonly lastCause?: string,
  ) {
    super(
      `Task '${key}' was running on (or had just run on) a worker that died, ${deaths} time${deaths === 1 ? '' : 's'}` +
        `${lastCause ? ` (last: ${lastCause})` : ''}; it is not retried again. ` +
        `The task may crash its worker (process.exit, out of memory, a native fault).`,
    );
  }
}
