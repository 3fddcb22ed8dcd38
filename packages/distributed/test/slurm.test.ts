/**
 * The seed's multi-node workflow on a real two-node SLURM (started on this machine by
 * .ci/setup.d/20-slurm.sh): sbatch the translated job script, run the client program against the
 * scheduler file, check the answer and that both nodes computed blocks.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exited, Procs, requireBuild, ROOT, SCHEDULER_CLI, until, WORKER_CLI } from './helpers';
import { randomBlock } from '../../../examples/slurm/pdask_example';

const procs = new Procs();
const jobs: string[] = [];

function slurmNodes(): string[] {
  const r = spawnSync('sinfo', ['-h', '-N', '-o', '%N %t'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return [];
  return r.stdout
    .trim()
    .split('\n')
    .filter((l) => /\s(idle|mix|alloc)$/.test(l))
    .map((l) => l.split(' ')[0]);
}

beforeAll(() => {
  requireBuild();
  const nodes = slurmNodes();
  if (nodes.length < 2) {
    throw new Error(
      `This test needs a running two-node SLURM (found ${nodes.length} usable node(s)${spawnSync('sinfo').error ? '; sinfo is not installed' : ''}). ` +
        'Start one with `bash .ci/setup.d/20-slurm.sh` (CI runs it before the tests).',
    );
  }
});

afterAll(() => {
  procs.killAll();
  for (const j of jobs) spawnSync('scancel', [j]);
});

describe('pdask under SLURM', () => {
  it('runs the seed job script with sbatch; the client gets the mean, computed on both nodes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pdask-slurm-'));
    // What `npm install @pdask/distributed` provides: the two commands on PATH.
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    symlinkSync(SCHEDULER_CLI, join(bin, 'pdask-scheduler'));
    symlinkSync(WORKER_CLI, join(bin, 'pdask-worker'));
    const schedulerFile = join(dir, 'scheduler.json');
    const log = join(dir, 'pdask_output.log');
    const job = execFileSync(
      'sbatch',
      ['--parsable', `--chdir=${dir}`, `--output=${log}`, `--export=ALL,PDASK_BIN_DIR=${bin},SCHEDULER_FILE=${schedulerFile}`, join(ROOT, 'examples', 'slurm', 'pdask_job.slurm')],
      { encoding: 'utf8' },
    ).trim();
    jobs.push(job);
    expect(job).toMatch(/^\d+/);

    const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
    const client = procs.start(tsx, [join(ROOT, 'examples', 'slurm', 'pdask_example.ts'), schedulerFile, '4', '--shutdown'], { cwd: ROOT });
    const code = await exited(client, 90_000);
    const out = client.output();
    expect(code, `client output:\n${out}\njob log:\n${existsSync(log) ? readFileSync(log, 'utf8') : '(none)'}`).toBe(0);

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
    await until(() => spawnSync('squeue', ['-h', '-j', job], { encoding: 'utf8' }).stdout.trim() === '', 30_000, `job ${job} to finish`);
    const state = execFileSync('scontrol', ['show', 'job', job], { encoding: 'utf8' });
    expect(state).toMatch(/JobState=COMPLETED/);
    const jobLog = readFileSync(log, 'utf8');
    expect(jobLog).toMatch(/\(node node1, 1 thread\)/);
    expect(jobLog).toMatch(/\(node node2, 1 thread\)/);
    // The scheduler removed its file on the clean shutdown.
    expect(existsSync(schedulerFile)).toBe(false);
  });
});
