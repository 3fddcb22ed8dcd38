/**
 * `npm run bench [-- --only PATTERN --repeat N --out DIR]`: runs every workload in every system that
 * is present, side by side, prints medians and ratios, and writes JSON + Markdown.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { median, speedupOf, type SystemResult, type Workload, type WorkloadResult } from './harness.js';
import { DEFAULT_PY_TIMEOUT_MS, missingModules, pythonVersions, timePython } from './python.js';
import { toMarkdown } from './report.js';
import { timeSystem } from './time-system.js';
import { allWorkloads } from './workloads/index.js';

const execFileP = promisify(execFile);

const program = new Command()
  .name('pdask-bench')
  .option('--only <pattern>', 'run workloads whose id or group contains this text')
  .option('--repeat <n>', 'override timed repetitions', (v) => Number.parseInt(v, 10))
  .option('--out <dir>', 'where to write latest.json and latest.md', 'benchmarks/results')
  .parse();
const opts = program.opts<{ only?: string; repeat?: number; out: string }>();

/** Runs a JS system in a child process of its own (isolated workloads): its peak RSS is then its own. */
async function runJsIsolated(w: Workload, spec: Workload['js'][number], repeat: number, warmup: number): Promise<SystemResult> {
  const child = fileURLToPath(new URL('./isolated-child.ts', import.meta.url));
  try {
    // The child inherits tsx's loader flags and tsconfig from this process's argv and environment.
    const { stdout } = await execFileP(process.execPath, [...process.execArgv, child, w.id, spec.system, String(repeat), String(warmup)], {
      maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(stdout.trim().split('\n').pop() ?? '') as SystemResult;
  } catch (e) {
    return { system: spec.system, status: 'failed', reason: e instanceof Error ? e.message.split('\n').slice(-3).join(' ') : String(e) };
  }
}

async function runWorkload(w: Workload): Promise<WorkloadResult> {
  const repeat = opts.repeat ?? w.repeat ?? 5;
  const warmup = w.warmup ?? 1;
  const systems: SystemResult[] = [];
  for (const spec of w.js) {
    systems.push(w.isolate ? await runJsIsolated(w, spec, repeat, warmup) : await timeSystem(spec, repeat, warmup));
    report(w, systems[systems.length - 1]);
  }
  for (const spec of w.python ?? []) {
    const missing = await missingModules(spec);
    let res: SystemResult;
    if (missing.length) {
      const hint = spec.whenMissing ?? 'npm run bench:setup installs what Debian packages: NumPy, pandas, Dask, scikit-learn';
      res = { system: spec.system, status: 'absent', reason: `python3 lacks ${missing.join(', ')} (${hint})` };
    } else {
      const t0 = performance.now();
      try {
        const { times, maxRssKiB } = await timePython(spec, spec.repeat ?? repeat, spec.warmup ?? warmup);
        res = { system: spec.system, status: 'ok', times, medianMs: median(times), ...(w.isolate && maxRssKiB !== undefined ? { peakRssMiB: maxRssKiB / 1024 } : {}) };
      } catch (e) {
        if ((e as { killed?: boolean }).killed) {
          // Stopped at the time limit, with its warm-up and timed runs (and its setup) inside it: the
          // limit bounds their sum, so a run's time is bounded below only if the runs are alike,
          // by the elapsed time over their number (not by the whole elapsed time).
          const limit = spec.timeoutMs ?? DEFAULT_PY_TIMEOUT_MS;
          const runs = (spec.repeat ?? repeat) + (spec.warmup ?? warmup);
          res = {
            system: spec.system,
            status: 'timeout',
            reason: `did not finish its ${runs} runs within ${(limit / 1000).toFixed(0)} s (the lower bound assumes its runs are alike)`,
            atLeastMs: (performance.now() - t0) / runs,
          };
        } else {
          res = { system: spec.system, status: 'failed', reason: e instanceof Error ? e.message.split('\n').slice(-3).join(' ') : String(e) };
        }
      }
    }
    systems.push(res);
    report(w, res);
  }
  const result: WorkloadResult = { id: w.id, group: w.group, description: w.description, reference: w.reference, items: w.items, systems, targets: [] };
  result.targets = (w.targets ?? []).map((t) => {
    const s = speedupOf(result, t.system, t.vs);
    // A lower bound that already clears the target meets it; one that does not proves nothing.
    const met = s === undefined ? undefined : s.value >= t.atLeast ? true : s.lowerBound ? undefined : false;
    return { ...t, measured: s?.value, lowerBound: s?.lowerBound, met };
  });
  return result;
}

function report(w: Workload, s: SystemResult): void {
  const mem = s.peakRssMiB === undefined ? '' : `, peak RSS ${s.peakRssMiB.toFixed(0)} MiB`;
  const what = s.status === 'ok' ? `${s.medianMs!.toFixed(3)} ms median of ${s.times!.length}${mem}` : `${s.status}: ${s.reason}`;
  console.log(`  ${w.id.padEnd(34)} ${s.system.padEnd(22)} ${what}`);
}

const selected = allWorkloads.filter((w) => !opts.only || w.id.includes(opts.only) || w.group.includes(opts.only));
const results: WorkloadResult[] = [];
console.log(`pdask benchmarks: ${selected.length} workloads on ${os.cpus().length} cores, Node ${process.version}`);
for (const w of selected) results.push(await runWorkload(w));

const stamp = new Date().toISOString();
const header = `## Benchmark run ${stamp}\n\nMachine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; Python references: ${await pythonVersions()}. Medians; ratio = reference median / system median (>1: faster than the reference).`;
const md = toMarkdown(results, header);
mkdirSync(opts.out, { recursive: true });
writeFileSync(`${opts.out}/latest.json`, JSON.stringify({ stamp, results }, null, 2));
writeFileSync(`${opts.out}/latest.md`, md);
console.log('\n' + md);
const absent = results.flatMap((r) => r.systems.filter((s) => s.status !== 'ok').map((s) => `${r.id}/${s.system}: ${s.status} (${s.reason})`));
if (absent.length) console.log('Absent or failed systems:\n' + absent.map((a) => '  ' + a).join('\n'));
