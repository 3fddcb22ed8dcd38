/**
 * vitest's global setup: makes sure the system pieces a few tests need are there before any test
 * runs, so `npm test` passes on a fresh machine after `npm install`.
 *
 * For each piece (Debian's Chromium for the kernels' browser test, a two-node SLURM for the
 * distributed SLURM test) it checks whether it is there; if not and this process can provision
 * (root, or passwordless sudo), it runs the project's own idempotent setup script from
 * `.ci/setup.d/`. Where it cannot, the tests that need the piece are skipped and say so, with the
 * command that enables them. Under CI (CI=true) a missing piece is an error: CI runs every test.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

interface Piece {
  /** Environment variable the tests read: set to the reason when the piece is missing. */
  readonly env: string;
  readonly what: string;
  readonly script: string;
  present(): boolean;
}

function slurmNodes(): number {
  const r = spawnSync('sinfo', ['-h', '-N', '-o', '%N %t'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return 0;
  return r.stdout.split('\n').filter((l) => /\s(idle|mix|alloc)$/.test(l)).length;
}

const PIECES: readonly Piece[] = [
  { env: 'PDASK_MISSING_CHROMIUM', what: "Debian's chromium (the kernels' browser test)", script: '.ci/setup.d/10-system-packages.sh', present: () => existsSync('/usr/bin/chromium') },
  { env: 'PDASK_MISSING_SLURM', what: 'a running two-node SLURM (the distributed SLURM test)', script: '.ci/setup.d/20-slurm.sh', present: () => slurmNodes() >= 2 },
];

function canProvision(): boolean {
  if (process.getuid?.() === 0) return true;
  return spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
}

export default function setup(): void {
  const ci = process.env.CI === 'true' || process.env.CI === '1';
  const mayProvision = process.env.PDASK_NO_PROVISION === undefined && canProvision();
  const missing: string[] = [];
  for (const piece of PIECES) {
    if (piece.present()) continue;
    if (mayProvision) {
      process.stderr.write(`[pdask test setup] ${piece.what} is missing: running bash ${piece.script}\n`);
      const r = spawnSync('bash', [join(ROOT, piece.script)], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], timeout: 15 * 60_000 });
      if (r.status === 0 && piece.present()) continue;
    }
    const reason = `${piece.what} is not available; enable it with: sudo bash ${piece.script}${mayProvision ? ' (it was tried and failed: see its output above)' : ''}`;
    process.env[piece.env] = reason;
    missing.push(reason);
  }
  if (missing.length && ci) throw new Error(`CI runs every test, but:\n- ${missing.join('\n- ')}`);
  for (const m of missing) process.stderr.write(`[pdask test setup] SKIPPING the tests that need it: ${m}\n`);
}
