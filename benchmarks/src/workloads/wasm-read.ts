/**
 * The read bandwidth a plain WebAssembly load loop reaches: the ceiling for any WebAssembly
 * reduction of data in linear memory. The module is written out here instruction by instruction
 * (no compiler, nothing of the kernels), so the figure is the engine's and the machine's alone:
 *
 *   (func (export "read") (param $p i32) (param $end i32) (result f64)
 *     (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
 *     block loop
 *       (br_if 1 (i32.ge_u $p $end))
 *       $a0 += v128.load $p; $a1 += v128.load offset=16 $p; ... offset=32, offset=48   (f64x2.add)
 *       $p += 64; br 0
 *     end end
 *     lanes of ($a0 + $a1 + $a2 + $a3) added)
 *
 * Four independent f64x2 accumulators, one 64-byte cache line per iteration: the kernels' sum has
 * the same loads (plus its leaf tree and compensation); more accumulators or wider unrolling gave
 * the same bandwidth in the probes recorded in @pdask/kernels' README.
 */

const leb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};
const section = (id: number, body: number[]): number[] => [id, ...leb(body.length), ...body];
const name = (s: string): number[] => [...leb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;
const op = {
  block: 0x02, loop: 0x03, end: 0x0b, br: 0x0c, brIf: 0x0d,
  get: 0x20, set: 0x21, tee: 0x22, i32const: 0x41, i32geU: 0x4f, i32add: 0x6a, f64add: 0xa0,
} as const;
const SIMD = 0xfd;
const v128load = (offset: number): number[] => [SIMD, 0x00, 4, ...leb(offset)]; // align 2^4
const f64x2add = [SIMD, ...leb(0xf0)];
const f64x2lane = (i: number): number[] => [SIMD, 0x21, i];

function readModule(pages: number, shared = false): Uint8Array<ArrayBuffer> {
  const P = 0;
  const END = 1;
  const acc = [2, 3, 4, 5];
  const body: number[] = [
    1, 4, V128, // four v128 locals
    op.block, 0x40, op.loop, 0x40,
    op.get, P, op.get, END, op.i32geU, op.brIf, 1,
    ...acc.flatMap((a, k) => [op.get, a, op.get, P, ...v128load(16 * k), ...f64x2add, op.set, a]),
    op.get, P, op.i32const, ...[0xc0, 0x00] /* 64, signed LEB */, op.i32add, op.set, P,
    op.br, 0, op.end, op.end,
    op.get, 2, op.get, 3, ...f64x2add, op.get, 4, ...f64x2add, op.get, 5, ...f64x2add,
    op.tee, 2, ...f64x2lane(0), op.get, 2, ...f64x2lane(1), op.f64add,
    op.end,
  ];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 2, I32, I32, 1, F64]),
    // Limits flag 0x03: shared, with a maximum (required for shared memories).
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, ...(shared ? [0x03, ...leb(pages), ...leb(pages)] : [0x00, ...leb(pages)])]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name('read'), 0x00, 0]),
    ...section(10, [1, ...leb(body.length), ...body]),
  ];
  return new Uint8Array(bytes);
}

export interface WasmReader {
  /** The float64 data, in the reader's own (non-shared) WebAssembly memory. */
  readonly data: Float64Array;
  /** Sum of data's lanes by the plain loop (so the loads cannot be dropped). */
  read(): number;
}

/**
 * Like the kernels, the loop is called over blocks of 2 MiB: V8 runs a WebAssembly function's first
 * calls on its baseline compiler, and one call over the whole array would never leave it.
 */
export function wasmReader(n: number): WasmReader {
  const bytes = n * 8;
  const pages = Math.ceil(bytes / 65536) + 1;
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const mod = new WebAssembly.Module(readModule(pages));
  const read = (new WebAssembly.Instance(mod, { env: { memory } }).exports as { read(p: number, end: number): number }).read;
  const data = new Float64Array(memory.buffer, 0, n);
  const BLOCK = 1 << 21;
  const end = bytes - (bytes % 64);
  return {
    data,
    read: () => {
      let s = 0;
      for (let p = 0; p < end; p += BLOCK) s += read(p, Math.min(p + BLOCK, end));
      for (let i = end / 8; i < n; i++) s += data[i];
      return s;
    },
  };
}

/**
 * The same loop on two worker threads over one shared WebAssembly memory, each reading its half in
 * place (as the 2-thread `dx.sum()` reads the arena): the two-core read limit for WebAssembly.
 */
export interface SharedWasmReader {
  readonly data: Float64Array;
  read(): Promise<number>;
  close(): Promise<void>;
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { bytes, memory, from, to } = workerData;
const read = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports.read;
parentPort.on('message', () => {
  let s = 0;
  for (let p = from; p < to; p += ${1 << 21}) s += read(p, Math.min(p + ${1 << 21}, to));
  parentPort.postMessage(s);
});`;

export async function sharedWasmReader(n: number): Promise<SharedWasmReader> {
  const { Worker } = await import('node:worker_threads');
  const bytes = n * 8;
  const pages = Math.ceil(bytes / 65536) + 1;
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const mod = readModule(pages, true);
  const end = bytes - (bytes % 128);
  const half = end / 2;
  const workers = [0, 1].map((w) => new Worker(WORKER, { eval: true, workerData: { bytes: mod, memory, from: w * half, to: w ? end : half } }));
  const ask = (w: InstanceType<typeof Worker>): Promise<number> =>
    new Promise((resolve, reject) => {
      w.once('error', reject);
      w.once('message', (v: number) => {
        w.off('error', reject);
        resolve(v);
      });
      w.postMessage(0);
    });
  const data = new Float64Array(memory.buffer, 0, n);
  return {
    data,
    read: async () => {
      const parts = await Promise.all(workers.map(ask));
      let s = parts[0] + parts[1];
      for (let i = end / 8; i < n; i++) s += data[i];
      return s;
    },
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
