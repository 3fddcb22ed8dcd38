import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { PyRun } from './harness.js';

const run = promisify(execFile);
export const PYTHON = process.env.PDASK_BENCH_PYTHON ?? '/usr/bin/python3';
const pythonDir = fileURLToPath(new URL('../python/', import.meta.url));
const importable = new Map<string, Promise<boolean>>();

/** Whether Debian's python3 can import `mod`; cached per module. */
export function canImport(mod: string): Promise<boolean> {
  let p = importable.get(mod);
  if (!p) {
    p = run(PYTHON, ['-c', `import ${mod}`]).then(
      () => true,
      () => false,
    );
    importable.set(mod, p);
  }
  return p;
}

/** Versions of the Python reference libraries that are installed, e.g. "dask 2022.12.1, numpy 1.24.2". */
export async function pythonVersions(): Promise<string> {
  const script =
    'import importlib\nout=[]\nfor m in ("dask","distributed","numpy","pandas"):\n  try: out.append(m+" "+importlib.import_module(m).__version__)\n  except Exception: pass\nprint(", ".join(out))';
  try {
    const { stdout } = await run(PYTHON, ['-c', script]);
    return stdout.trim() || 'none';
  } catch {
    return `none (${PYTHON} not found)`;
  }
}

export async function missingModules(spec: PyRun): Promise<string[]> {
  const ok = await Promise.all(spec.requires.map(canImport));
  return spec.requires.filter((_, i) => !ok[i]);
}

export const DEFAULT_PY_TIMEOUT_MS = 10 * 60_000;

/** Runs the Python side of a workload: its timings in milliseconds and the process's peak RSS. */
export async function timePython(spec: PyRun, repeat: number, warmup: number): Promise<{ times: number[]; maxRssKiB?: number }> {
  const { stdout } = await run(
    PYTHON,
    [pythonDir + 'driver.py', pythonDir + spec.file, spec.setup ?? '-', spec.run, String(repeat), String(warmup)],
    {
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
      timeout: spec.timeoutMs ?? DEFAULT_PY_TIMEOUT_MS,
      killSignal: 'SIGKILL',
    },
  );
  const last = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as { times: number[]; maxRssKiB?: number };
}
