/**
 * `npm run scheduler-memory -w benchmarks [-- --computations 10000]`: does the scheduler's memory
 * stay flat over many short computations? Starts `pdask-scheduler` (node --expose-gc, with
 * scheduler-memory/sampler.mjs preloaded), one nanny with 2 worker processes, and a client here;
 * runs the computations (small delayed graphs, submit/result, map/gather, persist/release), each
 * checked, and every `--every` computations samples the scheduler's heap and RSS after a full GC
 * along with the sizes of its tables. Prints the samples, start / middle / end and the slope of a
 * least-squares line through the heap samples (bytes per 1,000 computations).
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Command } from 'commander';
import { delayed } from '@pdask/core';
import { Client, Nanny } from '@pdask/distributed';

const o = new Command()
  .name('pdask-scheduler-memory')
  .option('--computations <n>', 'how many short computations', (v) => Number.parseInt(v, 10), 10_000)
  .option('--every <n>', 'sample after this many', (v) => Number.parseInt(v, 10), 500)
  .option('--lanes <n>', 'computations in flight at once', (v) => Number.parseInt(v, 10), 4)
  .parse()
  .opts<{ computations: number; every: number; lanes: number }>();

interface Sample {
  done: number;
  heapUsed: number;
  rss: number;
  tables: Record<string, number>;
}

const schedulerCli = join(dirname(createRequire(import.meta.url).resolve('@pdask/distributed')), 'cli', 'scheduler.js');
const sampler = join(dirname(fileURLToPath(import.meta.url)), 'scheduler-memory', 'sampler.mjs');
const dir = mkdtempSync(join(tmpdir(), 'pdask-scheduler-memory-'));
const schedulerFile = join(dir, 'scheduler.json');
const proc = fork(schedulerCli, ['--port', '0', '--preload', sampler, '--quiet', '--scheduler-file', schedulerFile], {
  execArgv: ['--expose-gc'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const nanny = await Nanny.start({ schedulerFile, nworkers: 2, env: { PDASK_WORKER_QUIET: '1' } });
const client = await Client.connect({ schedulerFile, setAsDefault: false });
await client.waitForWorkers(2);

// Futures dropped here (the persisted collections) release their keys when collected: collect
// them before each sample so that what the scheduler holds is what is still referenced.
v8.setFlagsFromString('--expose-gc');
const clientGc = vm.runInNewContext('gc') as () => void;

async function sample(done: number): Promise<Sample> {
  clientGc();
  // Finalizers run, their releases reach the scheduler, and its forget sweep (50 ms) runs.
  await new Promise((r) => setTimeout(r, 300));
  return ask(done);
}

function ask(done: number): Promise<Sample> {
  return new Promise((resolve) => {
    proc.once('message', (m) => resolve({ done, ...(m as Omit<Sample, 'done'>) }));
    proc.send('sample');
  });
}

const inc = (x: number) => x + 1;
const add = (a: number, b: number) => a + b;
let wrong = 0;
const check = (got: unknown, want: unknown) => {
  if (!Object.is(got, want)) wrong++;
};

/** The i-th short computation, in a rotation of four kinds; each result is checked. */
async function computation(i: number): Promise<void> {
  switch (i % 4) {
    case 0: {
      const f = client.compute(delayed(add)(delayed(inc)(i), delayed(inc)(i + 1)));
      check(await f.result(), 2 * i + 3);
      f.release();
      break;
    }
    case 1: {
      const f = client.submitWith({ pure: false }, inc, i);
      check(await f.result(), i + 1);
      f.release();
      break;
    }
    case 2: {
      const fs = client.map(inc, [i, i + 1, i + 2], { pure: false });
      const vs = await client.gather(fs);
      check(vs.join(), [i + 1, i + 2, i + 3].join());
      for (const f of fs) f.release();
      break;
    }
    default: {
      const p = client.persist(delayed(inc, { pure: false })(i));
      const f = client.compute(delayed((x: number) => x * 2)(p));
      check(await f.result(), 2 * (i + 1));
      f.release();
      // The persisted collection's Future is released when collected (see clientGc).
      break;
    }
  }
}

const samples: Sample[] = [];

const t0 = performance.now();
let next = 0;
let done = 0;
// A warm-up, then samples every `every` computations (the lanes drain at each sample).
for (let i = 0; i < 200; i++) await computation(next++);
samples.push(await sample(0));
while (done < o.computations) {
  const batch = Math.min(o.every, o.computations - done);
  let issued = 0;
  await Promise.all(
    Array.from({ length: o.lanes }, async () => {
      while (issued < batch) {
        issued++;
        await computation(next++);
      }
    }),
  );
  done += batch;
  samples.push(await sample(done));
}
const seconds = (performance.now() - t0) / 1000;

const mib = (b: number) => `${(b / 2 ** 20).toFixed(2)} MiB`;
/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

console.log(`${o.computations} computations (+200 warm-up) in ${seconds.toFixed(1)} s, ${wrong} wrong results`);
console.log('computations  heap after GC  RSS        tables (non-zero)');
for (const s of samples) {
  const t = Object.entries(s.tables)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  console.log(`${String(s.done).padStart(12)}  ${mib(s.heapUsed).padStart(13)}  ${mib(s.rss).padStart(9)}  ${t}`);
}
const first = samples[0];
const mid = samples[Math.floor(samples.length / 2)];
const last = samples[samples.length - 1];
const xs = samples.map((s) => s.done);
console.log(`heap after GC: start ${mib(first.heapUsed)}, middle (${mid.done}) ${mib(mid.heapUsed)}, end ${mib(last.heapUsed)}`);
console.log(`RSS: start ${mib(first.rss)}, middle ${mib(mid.rss)}, end ${mib(last.rss)}`);
const kib = (v: number) => `${((v * 1000) / 1024).toFixed(1)} KiB`;
const half = samples.slice(Math.floor(samples.length / 2));
console.log(`slope of the heap: ${kib(slope(xs, samples.map((s) => s.heapUsed)))} per 1,000 computations (second half: ${kib(slope(half.map((s) => s.done), half.map((s) => s.heapUsed)))}); RSS: ${kib(slope(xs, samples.map((s) => s.rss)))} per 1,000 (second half: ${kib(slope(half.map((s) => s.done), half.map((s) => s.rss)))})`);

await client.close();
await nanny.close();
proc.kill('SIGTERM');
await new Promise((r) => proc.once('exit', r));
rmSync(dir, { recursive: true, force: true });
process.exit(wrong === 0 ? 0 : 1);
