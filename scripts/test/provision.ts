/**
 * vitest's global setup: makes sure the system pieces a few tests need are there, so `npm test`
 * passes on a fresh machine after `npm install`.
 *
 * For each piece (Debian's Chromium for the browser tests, a two-node SLURM for the distributed
 * SLURM test) it checks whether it is there; if not and this process can provision (root, or
 * passwordless sudo), it runs the project's own idempotent setup script from `.ci/setup.d/`.
 * Where it cannot, the tests that need the piece are skipped and say so, with the command that
 * enables them. Under CI (CI=true) a missing piece is an error: CI runs every test.
 *
 * The scripts run in the background while the other test files run: installing Chromium and
 * SLURM takes minutes, and only files of the `alone` project (which runs last) need them. Those
 * files wait for the outcome through `test/helpers/provisioned.ts`, which reads the state file
 * this setup names in PDASK_PROVISION_STATE.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PIECE_ENV, type Piece, type ProvisionState } from '../../test/helpers/provisioned';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

interface PieceSetup {
  readonly piece: Piece;
  readonly what: string;
  readonly script: string;
  present(): boolean;
}

function slurmNodes(): number {
  const r = spawnSync('sinfo', ['-h', '-N', '-o', '%N %t'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return 0;
  return r.stdout.split('\n').filter((l) => /\s(idle|mix|alloc)$/.test(l)).length;
}

const PIECES: readonly PieceSetup[] = [
  { piece: 'chromium', what: "Debian's chromium (the browser tests)", script: '.ci/setup.d/10-system-packages.sh', present: () => existsSync('/usr/bin/chromium') },
  { piece: 'slurm', what: 'a running two-node SLURM (the distributed SLURM test)', script: '.ci/setup.d/20-slurm.sh', present: () => slurmNodes() >= 2 },
];

function canProvision(): boolean {
  if (process.getuid?.() === 0) return true;
  return spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
}

function missingReason(p: PieceSetup, tried: boolean, log?: string): string {
  return `${p.what} is not available; enable it with: sudo bash ${p.script}${tried ? ` (it was tried and failed: see ${log ?? 'its output above'})` : ''}`;
}

function runScript(script: string, logFd: number): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn('bash', [join(ROOT, script)], { cwd: ROOT, stdio: ['ignore', logFd, logFd] });
    child.on('error', () => resolve(null));
    child.on('exit', (code) => resolve(code));
  });
}

/** Runs the scripts one after another (both use apt, which takes one lock), recording each outcome as it is known. */
async function provisionInBackground(pieces: readonly PieceSetup[], stateFile: string, log: string): Promise<ProvisionState> {
  const state: ProvisionState = { finished: false, missing: {}, settled: [] };
  const write = (): void => {
    writeFileSync(`${stateFile}.tmp`, JSON.stringify(state));
    renameSync(`${stateFile}.tmp`, stateFile); // readers never see half a file
  };
  const logFd = openSync(log, 'a');
  try {
    for (const p of pieces) {
      const started = Date.now();
      const code = await runScript(p.script, logFd);
      const ok = code === 0 && p.present();
      if (!ok) state.missing[p.piece] = missingReason(p, true, log);
      state.settled.push(p.piece);
      write();
      process.stderr.write(`[pdask test setup] ${p.what}: ${ok ? 'ready' : 'FAILED'} after ${((Date.now() - started) / 1000).toFixed(0)} s (log: ${log})\n`);
    }
  } finally {
    closeSync(logFd);
  }
  state.finished = true;
  write();
  return state;
}

/** Each vitest project runs the global setup; the first run in this process does the work. */
const RAN = Symbol.for('pdask.test.provision');

export default function setup(): (() => Promise<void>) | undefined {
  const g = globalThis as { [RAN]?: true };
  if (g[RAN]) return undefined;
  g[RAN] = true;
  const ci = process.env.CI === 'true' || process.env.CI === '1';
  const mayProvision = process.env.PDASK_NO_PROVISION === undefined && canProvision();
  const absent = PIECES.filter((p) => !p.present());
  if (absent.length && !mayProvision) {
    const reasons = absent.map((p) => missingReason(p, false));
    if (ci) throw new Error(`CI runs every test, but:\n- ${reasons.join('\n- ')}`);
    absent.forEach((p, i) => {
      process.env[PIECE_ENV[p.piece]] = reasons[i];
      process.stderr.write(`[pdask test setup] SKIPPING the tests that need it: ${reasons[i]}\n`);
    });
    return undefined;
  }
  if (!absent.length) return undefined;

  const dir = mkdtempSync(join(tmpdir(), 'pdask-provision-'));
  const stateFile = join(dir, 'state.json');
  const log = join(dir, 'provision.log');
  process.stderr.write(`[pdask test setup] missing: ${absent.map((p) => p.what).join('; ')}. Provisioning in the background (${absent.map((p) => p.script).join(', ')}); the tests that need it wait for it. Log: ${log}\n`);
  // The test workers are forked after this returns, so they inherit where to look.
  process.env.PDASK_PROVISION_STATE = stateFile;
  process.env.PDASK_PROVISION_PID = String(process.pid);
  const done = provisionInBackground(absent, stateFile, log);
  return async () => {
    const state = await done;
    const failed = Object.values(state.missing);
    if (failed.length && existsSync(log)) process.stderr.write(`[pdask test setup] provisioning log:\n${readFileSync(log, 'utf8').slice(-4000)}\n`);
    if (failed.length && ci) throw new Error(`CI runs every test, but:\n- ${failed.join('\n- ')}`);
  };
}
