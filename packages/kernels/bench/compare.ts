/**
 * WASM kernel vs plain-JS loop, per reduction, for each place the input can live: run with
 * `npx tsx packages/kernels/bench/compare.ts [N]` (default N = 10,000,000). The dispatch table in
 * src/dispatch.ts records the outcome; the README reproduces a run.
 */
import * as J from '../src/js.js';
import { instantiate } from '../src/load.js';
import { KernelArray } from '../src/memory.js';
import * as R from '../src/reductions.js';
import type { Runtime } from '../src/runtime.js';
import type { NumericArray } from '../src/types.js';

const N = Number(process.argv[2] ?? 10_000_000);
const ONLY = process.argv[3]; // optional: a dtype (Float64) to measure alone
const rt: Runtime = await instantiate({ initialBytes: N * 8 * 2 + 2 ** 24 });

function time(f: () => unknown): number {
  for (let i = 0; i < 3; i++) f();
  const ts: number[] = [];
  for (let r = 0; r < 7; r++) {
    const t = performance.now();
    f();
    ts.push(performance.now() - t);
  }
  ts.sort((a, b) => a - b);
  return ts[3];
}

function data(ctor: Float64ArrayConstructor | Float32ArrayConstructor | Int32ArrayConstructor): NumericArray {
  const x = new ctor(N);
  let s = 7;
  for (let i = 0; i < N; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    x[i] = ctor === Int32Array ? s : (s >>> 0) / 2 ** 32 + 1;
  }
  return x;
}

type Row = [string, (x: NumericArray) => unknown, (x: NumericArray) => unknown];
const rows: Row[] = [
  ['sum', (x) => R.sumWasm(rt, x), (x) => J.sum(x)],
  ['nansum', (x) => R.nansum(rt, x), (x) => J.nansum(x)],
  ['count', (x) => R.count(rt, x), (x) => J.count(x)],
  ['moments (mean/var)', (x) => R.moments(rt, x, false), (x) => J.moments(x, false)],
  ['nanmoments', (x) => R.moments(rt, x, true), (x) => J.moments(x, true)],
  ['min', (x) => R.extreme(rt, x, 'min', false), (x) => J.extreme(x, false, false)],
  ['nanmax', (x) => R.extreme(rt, x, 'max', true), (x) => J.extreme(x, true, true)],
  ['argmin', (x) => R.argExtreme(rt, x, 'min', false), (x) => J.argExtreme(x, false, false, 0)],
  ['nanargmax', (x) => R.argExtreme(rt, x, 'max', true), (x) => J.argExtreme(x, true, true, 0)],
  ['prod', (x) => R.prodWasm(rt, x, false), (x) => J.prod(x, false)],
  ['all', (x) => R.anyAll(rt, x, true), (x) => J.anyAll(x, true)],
];

console.log(`N = ${N.toLocaleString('en-US')}; median ms of 7 (lower is better); WASM columns call the kernels directly, bypassing dispatch\n`);
console.log('| kernel | dtype | JS loop, JS array | WASM streamed, JS array | JS loop, kernel memory | WASM in place, kernel memory |');
console.log('|---|---|---|---|---|---|');
for (const ctor of [Float64Array, Float32Array, Int32Array] as const) {
  if (ONLY && ctor.name !== `${ONLY}Array`) continue;
  const host = data(ctor);
  const ka = new KernelArray(rt.mem, ctor as unknown as new (b: ArrayBuffer, o: number, l: number) => NumericArray, rt.mem.alloc(host.byteLength), N);
  (ka.array as Float64Array).set(host as Float64Array);
  for (const [name, wasm, js] of rows) {
    if (ctor !== Float64Array && !['sum', 'moments (mean/var)', 'min', 'argmin'].includes(name)) continue;
    const cells = [time(() => js(host)), time(() => wasm(host)), time(() => js(ka.array)), time(() => wasm(ka.array))];
    const fmt = (v: number, pair: number) => (v <= pair ? `**${v.toFixed(1)}**` : v.toFixed(1));
    console.log(`| ${name} | ${ctor.name.replace('Array', '')} | ${fmt(cells[0], cells[1])} | ${fmt(cells[1], cells[0])} | ${fmt(cells[2], cells[3])} | ${fmt(cells[3], cells[2])} |`);
  }
  ka.free();
}
