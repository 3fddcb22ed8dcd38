/**
 * The seed's multi-node workflow on a real two-node SLURM (started on this machine by
 * .ci/setup.d/20-slurm.sh): sbatch the translated job script, run the client program against the
 * scheduler file, check the answer and that both nodes computed blocks.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingPiece } from '../../../test/helpers/provisioned';
import { exited, PKG, Procs, requireBuild, ROOT, until } from './helpers';
import { Client, SlurmCluster } from '../src/index';
import { randomBlock } from '../../../examples/slurm/pdask_example';

const procs = new Procs();
const jobs: string[] = [];
const dirs: string[] = [];
let slurmCluster: SlurmCluster | undefined;
let slurmClient: Client | undefined;

function slurmNodes(): string[] {
  const r = spawnSync('sinfo', ['-h', '-N', '-o', '%N %t'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return [];
  return r.stdout
    .trim()
    .split('\n')
    .filter((l) => /\s(idle|mix|alloc)$/.test(l))
    .map((l) => l.split(' ')[0]);
}

/** Why SLURM is missing here (the test setup, scripts/test/provision.ts, may still be starting it: this waits). */
const missing = await missingPiece('slurm');
if (missing) console.warn(`SKIPPED: the SLURM tests: ${missing}`);

beforeAll(() => {
  if (missing) return;
  requireBuild();
  const nodes = slurmNodes();
  if (nodes.length < 2) {
    throw new Error(
      `This test needs a running two-node SLURM (found ${nodes.length} usable node(s)${spawnSync('sinfo').error ? '; sinfo is not installed' : ''}). ` +
        'Start one with `bash .ci/setup.d/20-slurm.sh` (CI runs it before the tests).',
    );
  }
});

afterAll(async () => {
  await slurmClient?.close().catch(() => undefined);
  await slurmCluster?.close().catch(() => undefined);
  procs.killAll();
  for (const j of jobs) if (j) spawnSync('scancel', [j]);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A fresh temporary directory, removed after the tests. */
function scratch(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

/** The README's SLURM steps: the command lines of the bash block between the slurm-steps markers. */
function readmeSteps(): string[] {
  const text = readFileSync(join(PKG, 'README.md'), 'utf8');
  const m = /<!-- slurm-steps:begin -->\n```bash\n([\s\S]*?)```\n<!-- slurm-steps:end -->/.exec(text);
  if (!m) throw new Error('packages/distributed/README.md has no ```bash block between <!-- slurm-steps:begin --> and <!-- slurm-steps:end -->');
  return m[1].split('\n').filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
}

const INSTALL = /^npm (ci|install)\b/;
const fresh = process.env.PDASK_TEST_FRESH_CLONE === '1';

/** Job ids among `ids` that squeue still lists. */
function queued(ids: string[]): string[] {
  if (!ids.length) return [];
  const r = spawnSync('squeue', ['-h', '-o', '%i', '-j', ids.join(',')], { encoding: 'utf8' });
  return r.stdout.trim().split('\n').filter(Boolean);
}

/** Processes of this user whose command line names one of the jobs' workers (`--name slurm-<id>`). */
function workerProcs(ids: string[]): string[] {
  const r = spawnSync('ps', ['-u', String(process.getuid?.() ?? ''), '-o', 'pid=,args='], { encoding: 'utf8' });
  return r.stdout.split('\n').filter((l) => ids.some((id) => l.includes(`slurm-${id}`)) && !l.includes('ps -u'));
}

describe.skipIf(missing !== undefined)('pdask under SLURM', () => {
  it("runs the README's SLURM steps as written: sbatch the job script, the client gets the mean computed on both nodes", async () => {
    const steps = readmeSteps();
    expect(steps.some((l) => l.startsWith('sbatch '))).toBe(true);
    let dir: string;
    let run: string[];
    if (fresh) {
      // All of it, install and build included, in a fresh clone (what a user does; minutes).
      dir = join(scratch('pdask-slurm-clone-'), 'pdask');
      execFileSync('git', ['clone', '--quiet', ROOT, dir]);
      run = steps;
    } else {
      // This checkout, installed and built already (CI: its own fresh clone), seen from a scratch
      // directory so that the job's files stay out of the tree.
      dir = scratch('pdask-slurm-');
      // (A copy of the example, not a link: the program runs its main() only when started by its own path.)
      for (const f of ['node_modules', 'package.json']) symlinkSync(join(ROOT, f), join(dir, f));
      cpSync(join(ROOT, 'examples', 'slurm'), join(dir, 'examples', 'slurm'), { recursive: true });
      run = steps.filter((l) => !INSTALL.test(l));
      console.info(`slurm.test: running the README's SLURM steps except '${steps.filter((l) => INSTALL.test(l)).join("', '")}' (this checkout is installed and built; PDASK_TEST_FRESH_CLONE=1 runs them too, in a fresh clone)`);
    }
    const schedulerFile = join(dir, 'scheduler.json');
    const log = join(dir, 'pdask_output.log');
    const p = procs.start('bash', ['-euo', 'pipefail', '-c', run.join('\n')], { cwd: dir });
    const jobOf = (): string | undefined => /Submitted batch job (\d+)/.exec(p.output())?.[1];
    const code = await exited(p, fresh ? 20 * 60_000 : 90_000).finally(() => jobs.push(jobOf() ?? ''));
    const out = p.output();
    const job = jobOf();
    expect(code, `output:\n${out}\njob log:\n${existsSync(log) ? readFileSync(log, 'utf8') : '(none)'}`).toBe(0);
    expect(job, out).toMatch(/^\d+$/);

    // The reference: the same 100 seeded blocks summed here, one after the other.
    let sum = 0;
    for (let b = 0; b < 100; b++) {
      const block = randomBlock(42 + b, 1_000_000);
      let s = 0;
      for (let i = 0; i < block.length; i++) s += block[i];
      sum += s;
    }
    const expected = sum / 1e8;
    // The seed's da.random.random((10000, 10000)).mean(): 1e8 uniform numbers, so the mean is
    // 0.5 within a few standard errors (1/sqrt(12e8) = 2.9e-5); 3e-4 is over 10 of them.
    const daMean = Number(/Mean of the array: ([\d.e-]+)/.exec(out)?.[1]);
    expect(Math.abs(daMean - 0.5), out).toBeLessThan(3e-4);
    // The seeded twin: exactly the reference (up to the order of the additions).
    const m = /Seeded mean: ([\d.e-]+)/.exec(out);
    expect(m, out).not.toBeNull();
    const mean = Number(m![1]);
    expect(Math.abs(mean - expected)).toBeLessThan(1e-12);
    expect(out).toContain('Blocks computed on nodes: node1, node2');

    // client.shutdown() ends the scheduler and the workers, so the job completes on its own.
    await until(() => spawnSync('squeue', ['-h', '-j', job!], { encoding: 'utf8' }).stdout.trim() === '', 30_000, `job ${job} to finish`);
    const state = execFileSync('scontrol', ['show', 'job', job!], { encoding: 'utf8' });
    expect(state).toMatch(/JobState=COMPLETED/);
    const jobLog = readFileSync(log, 'utf8');
    expect(jobLog).toMatch(/\(node node1, 1 thread\)/);
    expect(jobLog).toMatch(/\(node node2, 1 thread\)/);
    // The scheduler removed its file on the clean shutdown.
    expect(existsSync(schedulerFile)).toBe(false);
  }, fresh ? 25 * 60_000 : 120_000);

  it('SlurmCluster: scale(2) submits worker jobs, a client computes on them, scale(0) cancels them', async () => {
    const dir = scratch('pdask-slurmcluster-');
    slurmCluster = await SlurmCluster.start({ directory: dir, jobName: 'pdask-test-worker', walltime: '00:10:00' });
    const cluster = slurmCluster;
    await cluster.scale(2);
    const ids = cluster.jobs.map((j) => j.id);
    jobs.push(...ids);
    expect(ids).toHaveLength(2);
    expect(ids.every((id) => /^\d+$/.test(id))).toBe(true);
    const logs = () => ids.map((id) => join(dir, `worker-${id}.log`)).map((f) => `${f}:\n${existsSync(f) ? readFileSync(f, 'utf8') : '(none)'}`).join('\n');
    try {
      await cluster.waitForWorkers(2, 60_000);
    } catch (e) {
      throw new Error(`${(e as Error).message}\nsqueue: ${spawnSync('squeue', { encoding: 'utf8' }).stdout}\n${logs()}`);
    }
    slurmClient = await Client.connect(cluster, { setAsDefault: false });
    const client = slurmClient;
    await client.waitForWorkers(2);
    const names = client.workers.map((w) => w.name).sort();
    expect(names).toEqual(ids.map((id) => `slurm-${id}`).sort());

    const square = (i: number): [number, number] => [i * i, process.pid];
    const fs = Array.from({ length: 100 }, (_, i) => client.submitWith({ pure: false }, square, i));
    const results = (await client.gather(fs)) as [number, number][];
    expect(results.map(([v]) => v)).toEqual(Array.from({ length: 100 }, (_, i) => i * i));
    expect(results.reduce((s, [v]) => s + v, 0)).toBe(328_350);
    // Computed by the SLURM jobs' worker processes, not here.
    const workerPids = new Set(client.workers.map((w) => w.pid));
    expect(results.every(([, pid]) => workerPids.has(pid) && pid !== process.pid)).toBe(true);
    for (const f of fs) f.release();

    await cluster.scale(0);
    expect(cluster.jobs).toHaveLength(0);
    await until(() => queued(ids).length === 0, 30_000, `jobs ${ids.join(', ')} to leave the queue`);
    await until(() => cluster.scheduler.workers.size === 0, 30_000, 'the cancelled workers to leave the scheduler');
    await until(() => workerProcs(ids).length === 0, 30_000, `the jobs' worker processes to end (${workerProcs(ids).join('; ')})`);

    await client.close();
    slurmClient = undefined;
    await cluster.close();
    slurmCluster = undefined;
    expect(queued(ids)).toEqual([]);
  });
});
