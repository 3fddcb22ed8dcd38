// Merges ws-timeline.cjs dumps (<tmpdir>/pdask-wst-*.json) into per-hop medians of submit->result round trips (main process marks 'submit'/'result' via globalThis.__wsrec).
import { readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const files = readdirSync(tmpdir()).filter((f) => f.startsWith('pdask-wst-') && f.endsWith('.json'));
let ev = [];
for (const f of files) { const pid = f.slice(10, -5); for (const [t, e] of JSON.parse(readFileSync(join(tmpdir(), f)))) ev.push([t, pid, e]); }
ev.sort((a, b) => a[0] - b[0]);
const mainPid = files.map((f) => f.slice(10, -5)).find((p) => ev.some((x) => x[1] === p && x[2] === 'submit'));
// Last 300 trips: segments between consecutive events from submit to result.
const trips = [];
let cur = null;
for (const [t, pid, e] of ev) {
  if (pid === mainPid && e === 'submit') cur = [[t, 'main', e]];
  else if (cur) { cur.push([t, pid === mainPid ? 'main' : 'worker', e]); if (pid === mainPid && e === 'result') { trips.push(cur); cur = null; } }
}
const last = trips.slice(-1000);
const seg = new Map();
for (const tr of last) for (let i = 1; i < tr.length; i++) { const k = `${tr[i - 1][1]}:${tr[i - 1][2]} -> ${tr[i][1]}:${tr[i][2]}`; const a = seg.get(k) ?? []; a.push((tr[i][0] - tr[i - 1][0]) * 1000); seg.set(k, a); }
const med = (a) => a.sort((x, y) => x - y)[a.length >> 1];
console.log('trips', last.length, 'median total µs', med(last.map((tr) => (tr.at(-1)[0] - tr[0][0]) * 1000)).toFixed(0));
for (const [k, a] of seg) console.log(k.padEnd(40), 'n', a.length, 'median µs', med(a).toFixed(1));
console.log(last.at(-1).map(([t, w, e]) => `${w}:${e}`).join(' '));
