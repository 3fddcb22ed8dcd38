/**
 * The child process of an isolated workload: runs one JS system alone, so that its peak resident
 * memory is its own. Prints one JSON line: the SystemResult with `peakRssMiB`.
 * usage: isolated-child.ts WORKLOAD_ID SYSTEM REPEAT WARMUP
 */
import { timeSystem } from './time-system.js';
import { allWorkloads } from './workloads/index.js';

const [id, system, repeat, warmup] = process.argv.slice(2);
const spec = allWorkloads.find((w) => w.id === id)?.js.find((s) => s.system === system);
if (!spec) throw new Error(`isolated-child: no system '${system}' in workload '${id}'`);
const result = await timeSystem(spec, Number(repeat), Number(warmup));
// maxRSS is in KiB and covers every thread of this process (worker threads included).
const peakRssMiB = process.resourceUsage().maxRSS / 1024;
process.stdout.write('\n' + JSON.stringify({ ...result, peakRssMiB }) + '\n');
process.exit(0);
