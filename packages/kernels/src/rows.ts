/**
 * Row-aligned arrays (a row-major matrix X, its labels y, per-row outputs) walked together in blocks
 * of whole rows: what `forBlocks` is to the reductions, for the kernels that read rows.
 *
 * An array the kernel can use where it is (a Float64Array input, or an output of the kernel's
 * element type, in kernel memory) is passed by address. Any other array gets its own part of the
 * scratch area: inputs are copied (and converted to float64) into it block by block, outputs copied
 * out of it after each block, so the copy is still in L2 when the kernel reads it.
 */
import type { Runtime } from './runtime.js';
import type { RealArray } from './types.js';

/** Blocks of in-place rows hold about this many elements (see IN_PLACE_BLOCK in runtime.ts). */
const IN_PLACE_ELEMENTS = 1 << 18;
/** Scratch parts start on this boundary (v128 loads). */
const PART_ALIGN = 16;

type View = RealArray;
type ViewCtor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => View;

export interface RowArray {
  /** Row i is elements [i * width, (i + 1) * width). */
  readonly data: RealArray;
  readonly width: number;
  /** Written by the kernel (Int32Array or Float64Array) instead of read (read as float64). */
  readonly output?: boolean;
}

/** A RowArray with its address fixed: see placeRows. */
export interface PlacedRows {
  readonly width: number;
  readonly output: boolean;
  /** Address of element 0 when the kernel uses the array in place, else -1. */
  readonly ptr: number;
  /** Where the array is when it is not used in place: its address in kernel memory, or the array. */
  readonly source: { readonly ptr: number; readonly ctor: ViewCtor } | RealArray;
  /** Bytes per element in the scratch part (8 for inputs, the output's element size otherwise). */
  readonly bpe: number;
}

/**
 * Fixes where each array is. Call it before allocating in kernel memory: an allocation may grow the
 * memory, which detaches views of it but keeps their addresses valid.
 */
export function placeRows(rt: Runtime, arrays: readonly RowArray[]): PlacedRows[] {
  return arrays.map(({ data, width, output = false }) => {
    const owned = rt.mem.owns(data);
    const inPlace = owned && (output ? data instanceof Int32Array || data instanceof Float64Array : data instanceof Float64Array);
    const source = owned ? { ptr: data.byteOffset, ctor: data.constructor as ViewCtor } : data;
    return { width, output, ptr: inPlace ? data.byteOffset : -1, source, bpe: output ? data.BYTES_PER_ELEMENT : 8 };
  });
}

const alignPart = (bytes: number): number => Math.ceil(bytes / PART_ALIGN) * PART_ALIGN;

function partBytes(placed: readonly PlacedRows[], rows: number): number {
  let s = 0;
  for (const a of placed) if (a.ptr < 0) s += alignPart(rows * a.width * a.bpe);
  return s;
}

/** Rows per block: as many as the scratch area holds, or ~IN_PLACE_ELEMENTS when nothing is copied. */
export function rowsPerBlock(rt: Runtime, placed: readonly PlacedRows[]): number {
  let perRow = 0;
  let widest = 1;
  for (const a of placed) {
    widest = Math.max(widest, a.width);
    if (a.ptr < 0) perRow += a.width * a.bpe;
  }
  if (perRow === 0) return Math.max(1, Math.floor(IN_PLACE_ELEMENTS / widest));
  let rows = Math.max(1, Math.floor(rt.mem.scratchBytes / perRow));
  while (rows > 1 && partBytes(placed, rows) > rt.mem.scratchBytes) rows--;
  return rows;
}

function viewOf(rt: Runtime, a: PlacedRows, start: number, rows: number): View {
  const n = rows * a.width;
  if ('ctor' in a.source) {
    const { ptr, ctor } = a.source;
    return new ctor(rt.mem.buffer, ptr + start * a.width * a.bpe, n);
  }
  return (a.source as RealArray).subarray(start * a.width, start * a.width + n);
}

/**
 * Calls `fn(ptrs, rows, start)` for consecutive blocks of `rows` rows out of `n` (start = the first
 * row of the block), with `ptrs[i]` the address of array i's rows for the block.
 */
export function forRowBlocks(
  rt: Runtime,
  placed: readonly PlacedRows[],
  n: number,
  rows: number,
  fn: (ptrs: readonly number[], rows: number, start: number) => void,
): void {
  // A row too wide for the scratch area (hundreds of thousands of features) gets a heap block.
  const need = partBytes(placed, rows);
  const temp = need > rt.mem.scratchBytes ? rt.mem.alloc(need) : -1;
  try {
    const base = temp >= 0 ? temp : rt.mem.scratch;
    const ptrs = new Array<number>(placed.length);
    for (let start = 0; start < n; start += rows) {
      const m = Math.min(rows, n - start);
      let at = base;
      for (let i = 0; i < placed.length; i++) {
        const a = placed[i];
        if (a.ptr >= 0) {
          ptrs[i] = a.ptr + start * a.width * a.bpe;
          continue;
        }
        ptrs[i] = at;
        if (!a.output) new Float64Array(rt.mem.buffer, at, m * a.width).set(viewOf(rt, a, start, m));
        at += alignPart(rows * a.width * a.bpe);
      }
      fn(ptrs, m, start);
      for (let i = 0; i < placed.length; i++) {
        const a = placed[i];
        if (!a.output || a.ptr >= 0) continue;
        const Ctor = a.bpe === 4 ? Int32Array : Float64Array;
        viewOf(rt, a, start, m).set(new Ctor(rt.mem.buffer, ptrs[i], m * a.width));
      }
    }
  } finally {
    if (temp >= 0) rt.mem.release(temp);
  }
}
