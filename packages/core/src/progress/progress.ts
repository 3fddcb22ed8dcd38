import type cliProgressNs from 'cli-progress';
import { requirePackage } from '../platform/node-builtins';

/**
 * A terminal progress bar for a computation (Dask's `ProgressBar`), drawn on stderr with
 * cli-progress. Returns the callback executors report to, and a function to finish the bar.
 */
export function progressBar(total: number, stream: NodeJS.WriteStream = process.stderr): { update: (done: number) => void; stop: () => void } {
  const cliProgress = requirePackage<typeof cliProgressNs>('cli-progress', 'the terminal progress bar');
  const t0 = performance.now();
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: '[{bar}] | {percentage}% Completed | {elapsed}',
      barCompleteChar: '#',
      barIncompleteChar: ' ',
      barsize: 40,
      hideCursor: false,
      noTTYOutput: true,
      notTTYSchedule: 1000,
      fps: 10,
    },
    cliProgress.Presets.legacy,
  );
  const elapsed = (): string => `${((performance.now() - t0) / 1000).toFixed(1)}s`;
  bar.start(total, 0, { elapsed: elapsed() });
  return {
    update: (done) => bar.update(done, { elapsed: elapsed() }),
    stop: () => {
      bar.update(total, { elapsed: elapsed() });
      bar.stop();
    },
  };
}
