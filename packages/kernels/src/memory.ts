/**
 * The kernels' linear memory and its allocator.
 *
 * The WebAssembly module keeps no heap of its own: it imports this memory and works on the pointers
 * it is given. Everything above the module's static data belongs to this allocator: a scratch area
 * (kernel state and the blocks that stream JS-heap arrays through the kernels) and a heap from which
 * callers allocate typed arrays (`KernelArray`) that the kernels read in place, without copies.
 *
 * Growing a non-shared WebAssembly.Memory detaches every view of its old buffer. `KernelArray.array`
 * therefore re-creates its view when the buffer has changed, and the old buffers are remembered so
 * that a stale view passed to a kernel is reported instead of being read as an empty array.
 */
import type { KernelTypedArray, ViewConstructor } from './types.js';

const PAGE = 65536;
/** Allocation granularity: a cache line, and a multiple of every element and SIMD width. */
const ALIGN = 64;
/** 4 GiB: the 32-bit address space. */
const MAX_PAGES = 65536;

export class StaleViewError extends Error {
  constructor() {
    super('typed array views a detached buffer of the kernels\' memory (it grew since the view was made); read KernelArray.array again');
    this.name = 'StaleViewError';
  }
}

interface Range {
  ptr: number;
  size: number;
}

export class KernelMemory {
  readonly memory: WebAssembly.Memory;
  private buf: ArrayBuffer;
  private readonly retired = new WeakSet<ArrayBuffer>();
  /** Free ranges sorted by address, never adjacent (they are coalesced on release). */
  private readonly free: Range[] = [];
  private readonly used = new Map<number, number>();
  /** Fixed areas carved out at start: kernel state slots and the streaming blocks. */
  readonly state: number;
  readonly scratch: number;
  readonly scratchBytes: number;

  constructor(memory: WebAssembly.Memory, heapBase: number, scratchBytes: number) {
    this.memory = memory;
    this.buf = memory.buffer as ArrayBuffer;
    const start = align(heapBase);
    this.state = start;
    this.scratch = start + 1024;
    this.scratchBytes = scratchBytes;
    const heap = align(this.scratch + scratchBytes);
    this.ensure(heap);
    this.free.push({ ptr: heap, size: this.buffer.byteLength - heap });
  }

  /** The current buffer; after growth the old one is remembered as retired. */
  get buffer(): ArrayBuffer {
    const b = this.memory.buffer as ArrayBuffer;
    if (b !== this.buf) {
      this.retired.add(this.buf);
      this.buf = b;
    }
    return b;
  }

  /** Whether `view` is a view of this memory (current buffer). Throws for a view of a retired buffer. */
  owns(view: ArrayBufferView): boolean {
    const b = this.buffer;
    if (view.buffer === b) return true;
    if (this.retired.has(view.buffer as ArrayBuffer)) throw new StaleViewError();
    return false;
  }

  /** Allocates `bytes` (64-byte aligned, contents unspecified). */
  alloc(bytes: number): number {
    const size = align(Math.max(bytes, 1));
    for (let i = 0; i < this.free.length; i++) {
      const r = this.free[i];
      if (r.size >= size) {
        const ptr = r.ptr;
        if (r.size === size) this.free.splice(i, 1);
        else {
          r.ptr += size;
          r.size -= size;
        }
        this.used.set(ptr, size);
        return ptr;
      }
    }
    // Nothing fits: grow, extending the last free range if it ends at the top of memory.
    const top = this.buffer.byteLength;
    const last = this.free[this.free.length - 1];
    const tail = last && last.ptr + last.size === top ? last : undefined;
    const need = size - (tail ? tail.size : 0);
    // Grow by at least a quarter of the current size so that many small allocations do not each
    // detach every view.
    const grow = Math.max(need, Math.floor(top / 4));
    const ptr = tail ? tail.ptr : top;
    this.ensure(top + grow <= MAX_PAGES * PAGE ? top + grow : top + need);
    const end = this.buffer.byteLength;
    if (tail) this.free.pop();
    this.used.set(ptr, size);
    if (end > ptr + size) this.free.push({ ptr: ptr + size, size: end - ptr - size });
    return ptr;
  }

  release(ptr: number): void {
    const size = this.used.get(ptr);
    if (size === undefined) throw new Error(`release of ${ptr}: not an allocation (or released twice)`);
    this.used.delete(ptr);
    let lo = 0;
    let hi = this.free.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.free[mid].ptr < ptr) lo = mid + 1;
      else hi = mid;
    }
    this.free.splice(lo, 0, { ptr, size });
    // Coalesce with the next, then the previous neighbour.
    const next = this.free[lo + 1];
    if (next && ptr + size === next.ptr) {
      this.free[lo].size += next.size;
      this.free.splice(lo + 1, 1);
    }
    const prev = this.free[lo - 1];
    if (prev && prev.ptr + prev.size === ptr) {
      prev.size += this.free[lo].size;
      this.free.splice(lo, 1);
    }
  }

  /** Bytes currently allocated to callers (not counting the scratch area). */
  get allocatedBytes(): number {
    let s = 0;
    for (const v of this.used.values()) s += v;
    return s;
  }

  f64(ptr: number, length: number): Float64Array {
    return new Float64Array(this.buffer, ptr, length);
  }
  f32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.buffer, ptr, length);
  }
  i32(ptr: number, length: number): Int32Array {
    return new Int32Array(this.buffer, ptr, length);
  }
  u8(ptr: number, length: number): Uint8Array {
    return new Uint8Array(this.buffer, ptr, length);
  }

  private ensure(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes <= have) return;
    const pages = Math.ceil((bytes - have) / PAGE);
    const current = have / PAGE;
    if (current + pages > MAX_PAGES) throw new RangeError(`kernel memory would exceed 4 GiB (${bytes} bytes requested)`);
    this.memory.grow(pages);
    void this.buffer; // retire the old buffer now
  }
}

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

/**
 * A typed array that lives in the kernels' memory: kernels read it in place (no copy). Read `array`
 * for a view; it is re-created if the memory has grown since, so do not keep a view across calls that
 * may allocate (kernel calls, `alloc`) — keep the KernelArray.
 */
export class KernelArray<T extends KernelTypedArray> {
  private view: T;
  private released = false;

  constructor(
    private readonly mem: KernelMemory,
    private readonly ctor: ViewConstructor<T>,
    readonly ptr: number,
    readonly length: number,
  ) {
    this.view = new ctor(mem.buffer, ptr, length);
  }

  get array(): T {
    if (this.released) throw new Error('KernelArray used after free()');
    const b = this.mem.buffer;
    if (this.view.buffer !== b) this.view = new this.ctor(b, this.ptr, this.length);
    return this.view;
  }

  /** Returns the memory to the allocator; the array must not be used afterwards. */
  free(): void {
    if (this.released) return;
    this.released = true;
    this.mem.release(this.ptr);
  }
}
