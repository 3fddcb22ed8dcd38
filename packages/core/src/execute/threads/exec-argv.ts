/**
 * The Node flags a worker thread starts with. Node gives a Worker the parent's `execArgv` by
 * default, but some of those flags describe how the main program was given (`--input-type`,
 * `--eval`, `--test`, `--watch`, `--inspect`) and make the worker fail at start or fight over a
 * debugger port. A worker gets only the flags that change how code runs or loads in it.
 * V8's own flags (`--expose-gc`, `--max-old-space-size`, `--stack-size`, `--wasm-*`...) are
 * process-wide, so a worker already runs under them, and Node 20 refuses to start a worker whose
 * execArgv names one (ERR_WORKER_INVALID_EXEC_ARGV): they are never passed on.
 */

/** Flags passed on as they are (`--flag` or `--flag=value`). */
const KEEP = [
  '--enable-source-maps',
  '--experimental-vm-modules',
  '--no-experimental-',
  '--experimental-detect-module',
  '--experimental-require-module',
  '--conditions',
  '--import',
  '--require',
  '--loader',
  '--experimental-loader',
  '--unhandled-rejections',
  '--trace-uncaught',
  '--trace-warnings',
  '--no-warnings',
  '--preserve-symlinks',
  // Profiles of each thread (`node --cpu-prof` writes one file per thread): without them a
  // profile of a threads computation shows only the caller's half.
  '--cpu-prof',
  '--cpu-prof-dir',
  '--cpu-prof-interval',
  '--heap-prof',
  '--heap-prof-dir',
  '--heap-prof-interval',
];

/** Flags whose value may follow as the next argument. */
const TAKES_VALUE = new Set(['--cpu-prof-dir', '--cpu-prof-interval', '--cpu-prof-name', '--heap-prof-dir', '--heap-prof-interval', '--heap-prof-name', '--conditions', '-C', '--import', '--require', '-r', '--loader', '--experimental-loader', '--stack-size', '--max-old-space-size', '--max-semi-space-size', '--unhandled-rejections']);

/** Short forms kept, under their long names' rules. */
const SHORT = new Set(['-C', '-r']);

export function workerExecArgv(parent: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < parent.length; i++) {
    const a = parent[i];
    const name = a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
    const keep = SHORT.has(name) || KEEP.some((k) => (k.endsWith('-') ? name.startsWith(k) : name === k));
    const valueFollows = !a.includes('=') && TAKES_VALUE.has(name) && i + 1 < parent.length;
    if (keep) {
      out.push(a);
      if (valueFollows) out.push(parent[++i]);
    } else if (!a.includes('=') && (TAKES_VALUE.has(name) || name === '--input-type' || name === '--eval' || name === '-e' || name === '--print' || name === '-p')) {
      i++; // a dropped flag's separate value goes with it
    }
  }
  return out;
}
