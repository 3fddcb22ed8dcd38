// The pdask side only of distributed workloads (no Python peer): for A/B of two builds of
// @pdask/distributed (swap packages/distributed/dist between runs).
// npx tsx --tsconfig tsconfig.run.json benchmarks/probes/dist-js-only.ts dist-map-gather dist-tree [--repeat n]
import { distributedWorkloads } from '../src/workloads/distributed.js';
import { timeSystem } from '../src/time-system.js';

const args = process.argv.slice(2);
const r = args.indexOf('--repeat');
const repeat = r >= 0 ? Number(args[r + 1]) : undefined;
const ids = args.filter((a, i) => a !== '--repeat' && (r < 0 || i !== r + 1));
for (const id of ids) {
  const w = distributedWorkloads.find((x) => x.id === id);
  if (!w) throw new Error(`no distributed workload '${id}'`);
  for (const spec of w.js) {
    const res = await timeSystem(spec, repeat ?? w.repeat ?? 5, w.warmup ?? 1);
    console.log(id, spec.system, JSON.stringify(res));
  }
}
process.exit(0);
