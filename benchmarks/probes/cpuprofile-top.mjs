// Summarises a .cpuprofile (node --cpu-prof, or the inspector's Profiler): self and inclusive
// time by function, with file and line, and the idle/GC/program shares.
// node benchmarks/probes/cpuprofile-top.mjs FILE [rows] [filter-regexp]
import { readFileSync } from 'node:fs';
const [file, rowsArg, filter] = process.argv.slice(2);
const rows = Number(rowsArg ?? 40);
const p = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const dt = new Map();
for (let i = 0; i < p.samples.length; i++) dt.set(p.samples[i], (dt.get(p.samples[i]) ?? 0) + (p.timeDeltas[i + 1] ?? 0));
const name = (n) => {
  const f = n.callFrame;
  return `${f.functionName || '(anon)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
};
const self = new Map(), incl = new Map();
let total = 0;
for (const [id, t] of dt) {
  total += t;
  const n = byId.get(id);
  const k = name(n);
  self.set(k, (self.get(k) ?? 0) + t);
  // Inclusive: each distinct name on the stack once.
  const seen = new Set();
  for (let x = id; x !== undefined; x = parent.get(x)) {
    const kk = name(byId.get(x));
    if (seen.has(kk)) continue;
    seen.add(kk);
    incl.set(kk, (incl.get(kk) ?? 0) + t);
  }
}
const ms = (t) => (t / 1000).toFixed(0).padStart(6);
const pct = (t) => ((100 * t) / total).toFixed(1).padStart(5);
console.log(`${file}: ${ms(total)} ms sampled`);
const re = filter ? new RegExp(filter) : undefined;
const top = (m, label) => {
  console.log(`-- ${label}`);
  [...m].filter(([k]) => !re || re.test(k)).sort((a, b) => b[1] - a[1]).slice(0, rows).forEach(([k, t]) => console.log(`${ms(t)} ${pct(t)}%  ${k}`));
};
top(self, 'self');
top(incl, 'inclusive');
