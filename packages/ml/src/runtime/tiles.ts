/**
 * Reading array blocks on workers. A block of `@pdask/array` is a plain object `{ dtype, shape,
 * data }`; its data may be any dtype, and may sit in shared memory (the array's arena) where V8
 * runs JS loops several times slower. So rows are copied tile by tile (a memcpy that stays in
 * L2, converting the dtype on the way) into a private Float64Array that the hot loops read.
 */
import type { TypedArray } from '@pdask/array';

/** The runtime value of one array block, as workers receive it. */
export interface BlockValue {
  readonly shape: readonly number[];
  readonly data: TypedArray;
}

/** Elements per tile: 256 KiB of float64, well inside L2. */
const TILE_ELEMENTS = 32_768;

const direct = (data: TypedArray): data is Float64Array => data instanceof Float64Array && !(data.buffer instanceof SharedArrayBuffer);

/** Rows and columns of a 2-d block (a 1-d block is one column). */
export function dims(b: BlockValue): [number, number] {
  return [b.shape[0], b.shape.length > 1 ? b.shape[1] : 1];
}

/**
 * Calls `fn(x, y, rows, firstRow)` for consecutive row tiles of a 2-d block `xb` (row-major,
 * `rows * d` values) and, when given, the matching values of a 1-d block `yb`.
 */
export function forEachTile(xb: BlockValue, yb: BlockValue | null, fn: (x: Float64Array, y: Float64Array | null, rows: number, firstRow: number) => void): void {
  const [n, d] = dims(xb);
  if (yb && yb.shape[0] !== n) throw new RangeError(`a block of X has ${n} rows but its block of y has ${yb.shape[0]}`);
  const per = Math.max(1, Math.floor(TILE_ELEMENTS / Math.max(d, 1)));
  const xDirect = direct(xb.data);
  const yDirect = yb !== null && direct(yb.data);
  const xBuf = xDirect ? null : new Float64Array(Math.min(per, n) * d);
  const yBuf = yb === null || yDirect ? null : new Float64Array(Math.min(per, n));
  for (let r = 0; r < n; r += per) {
    const m = Math.min(per, n - r);
    let x: Float64Array;
    if (xBuf) {
      x = m * d === xBuf.length ? xBuf : xBuf.subarray(0, m * d);
      x.set(xb.data.subarray(r * d, (r + m) * d));
    } else x = (xb.data as Float64Array).subarray(r * d, (r + m) * d);
    let y: Float64Array | null = null;
    if (yb) {
      if (yBuf) {
        y = m === yBuf.length ? yBuf : yBuf.subarray(0, m);
        y.set(yb.data.subarray(r, r + m));
      } else y = (yb.data as Float64Array).subarray(r, r + m);
    }
    fn(x, y, m, r);
  }
}
