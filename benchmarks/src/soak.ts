/**
 * `npm run soak -w benchmarks [-- --seconds 600]`: the distributed soak (soak/engine.ts) for ten
 * minutes by default: random worker and nanny SIGKILLs, client churn and memory pressure while
 * checked computations run. Prints the counters; exits 1 on a wrong result, a failed computation
 * or a leak.
 */
import { Command } from 'commander';
import { formatReport, runSoak } from './soak/engine.js';

const o = new Command()
  .name('pdask-soak')
  .option('--seconds <n>', 'how long the chaos lasts', (v) => Number.parseFloat(v), 600)
  .option('--seed <n>', 'seed of the random choices (repeat a run)', (v) => Number.parseInt(v, 10))
  .option('--verbose', 'print each slow or failed computation')
  .parse()
  .opts<{ seconds: number; seed?: number; verbose?: boolean }>();

const started = new Date();
const r = await runSoak({ seconds: o.seconds, seed: o.seed, log: o.verbose ? (l) => console.error(l) : undefined });
console.log(`${started.toISOString()} to ${new Date().toISOString()}`);
console.log(formatReport(r));
const leaked = r.leaks.processes.length + r.leaks.files.length + r.leaks.sockets + r.leaks.ports.length;
process.exit(r.wrongResults === 0 && r.failures.length === 0 && leaked === 0 ? 0 : 1);
