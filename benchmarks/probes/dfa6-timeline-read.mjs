// Reads the profiles of one dfa6-timeline.mjs run (a directory of .cpuprofile files, one per
// thread) and the MARKS line it printed: per thread, the share of each interval spent running
// code (not "(idle)" or "(program)" samples), from the first mark on.
//   node benchmarks/probes/dfa6-timeline-read.mjs /tmp/prof '<MARKS json>' [binMs=100]
import fs from 'node:fs';
import path from 'node:path';
const [dir, marksJson, binArg] = process.argv.slice(2);
const marks = JSON.parse(marksJson);
const bin = Number(binArg ?? 100) * 1000;
const t0 = marks[0][1];
const tEnd = marks[marks.length - 1][1];
const nb = Math.ceil((tEnd - t0) / bin) + 1;
const rows = [];
for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.cpuprofile')).sort()) {
  const p = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
  const name = new Map(p.nodes.map((n) => [n.id, n.callFrame.functionName]));
  const busy = new Float64Array(nb);
  let t = p.startTime;
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const dt = p.timeDeltas[i];
    t += dt;
    const n = name.get(p.samples[i]);
    if (n === '(idle)' || n === '(program)') continue;
    const b = Math.floor((t - t0) / bin);
    if (b < 0 || b >= nb) continue;
    // The sample stands for the interval since the previous one.
    busy[b] += dt;
    total += dt;
  }
  rows.push({ f, busy, total, start: p.startTime, end: p.endTime });
}
console.log('marks (ms from start):', marks.map(([m, t]) => `${m}=${((t - t0) / 1000).toFixed(0)}`).join(' '));
for (const r of rows) console.log(r.f.slice(-30), `busy ${(r.total / 1000).toFixed(0)} ms`, 'start', ((r.start - t0) / 1000).toFixed(0), 'end', ((r.end - t0) / 1000).toFixed(0));
for (let b = 0; b < nb; b++) console.log(String((b * bin) / 1000).padStart(6), rows.map((r) => (r.busy[b] / bin * 100).toFixed(0).padStart(4)).join(' '));
