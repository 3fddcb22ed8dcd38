// Profiles only the compute() of the core-tree workloads (199,999 tiny delayed tasks), not the
// graph building, and writes the profile: node benchmarks/probes/tiny-tree-profile.mjs [sync|threads] [runs] [out]
// (out '-': no profile, only the CPU time of each compute, for A/B runs).
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { closeThreadPools, delayed } from '@pdask/core';

const scheduler = process.argv[2] ?? 'sync';
const runs = Number(process.argv[3] ?? 3);
const out = process.argv[4] ?? `/tmp/tiny-tree-${scheduler}.cpuprofile`;
const profiling = out !== '-';
const LEAVES = 100_000;
function tree(leaves) {
  const inc = (i) => i + 1;
  const add = (a, b) => a + b;
  let level = [];
  for (let i = 0; i < leaves; i++) level.push(delayed(inc)(i));
  while (level.length > 1) {
    const next = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? delayed(add)(level[i], level[i + 1]) : level[i]);
    level = next;
  }
  return level[0];
}
// One unprofiled run warms the code up (and the pool, for threads).
await tree(LEAVES).compute({ scheduler });
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
const cpu = [];
for (let r = 0; r < runs; r++) {
  const root = tree(LEAVES);
  const c0 = process.cpuUsage();
  if (profiling) await session.post('Profiler.start');
  const v = await root.compute({ scheduler });
  const c = process.cpuUsage(c0);
  cpu.push(((c.user + c.system) / 1000).toFixed(0));
  if (v !== (LEAVES * (LEAVES + 1)) / 2) throw new Error(`wrong result ${v}`);
  // Stopped while the next tree is built: one profile per compute.
  if (profiling) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(`${out}.${r}`, JSON.stringify(profile));
  }
}
console.log(`cpu ms per compute (all threads): ${cpu.join(' ')}${profiling ? `; profiles in ${out}.0..${runs - 1}` : ''}`);
if (scheduler === 'threads') await closeThreadPools();
