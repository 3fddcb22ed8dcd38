// CPU and GC ms per compute() of the 199,999-task tree; node ab.mjs [sync|threads] [runs]
import { PerformanceObserver } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
// The main thread's own CPU time (ns, Linux): what bounds a threads compute of tiny tasks.
const mainCpu = () => { try { return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6; } catch { return NaN; } };
// CORE=path/to/dist/index.js: another build of @pdask/core (A/B runs).
const { closeThreadPools, delayed } = await import(process.env.CORE ?? '@pdask/core');
const scheduler = process.argv[2] ?? 'sync';
const runs = Number(process.argv[3] ?? 6);
const LEAVES = 100_000;
function tree(leaves) {
  const inc = (i) => i + 1; const add = (a, b) => a + b;
  let level = []; for (let i = 0; i < leaves; i++) level.push(delayed(inc)(i));
  while (level.length > 1) { const next = []; for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? delayed(add)(level[i], level[i + 1]) : level[i]); level = next; }
  return level[0];
}
let gcMs = 0, counting = false;
new PerformanceObserver((l) => { if (counting) for (const e of l.getEntries()) gcMs += e.duration; }).observe({ entryTypes: ['gc'] });
await tree(LEAVES).compute({ scheduler });
const cpu = [], gc = [], wall = [], main = [];
for (let r = 0; r < runs; r++) {
  const root = tree(LEAVES);
  await new Promise((r) => setTimeout(r, 20));
  gcMs = 0; counting = true;
  const c0 = process.cpuUsage(); const m0 = mainCpu(); const t0 = performance.now();
  const v = await root.compute({ scheduler });
  const c = process.cpuUsage(c0); wall.push(performance.now() - t0); main.push(mainCpu() - m0);
  await new Promise((r) => setTimeout(r, 0)); counting = false;
  if (v !== (LEAVES * (LEAVES + 1)) / 2) throw new Error('wrong ' + v);
  cpu.push((c.user + c.system) / 1000); gc.push(gcMs);
}
const f = (a) => a.map((x) => x.toFixed(0)).join(' ');
const min = (a) => Math.min(...a).toFixed(0);
console.log(`${process.env.LABEL ?? ''} cpu min ${min(cpu)} [${f(cpu)}] gc [${f(gc)}] main-thread cpu min ${min(main)} [${f(main)}] wall min ${min(wall)} [${f(wall)}]`);
if (scheduler === 'threads') await closeThreadPools();
