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
 *
 * A *shared* memory (`createSharedMemory`) is used by several threads at once, each with its own
 * kernels instance and allocator. Nobody owns "everything above the static data" there: a header
 * holds an atomic bump pointer from which each thread's allocator claims whole regions (its state
 * and scratch area first, then heap regions as it needs them), and freed memory goes back to the
 * free list of the thread that claimed it. Growing a shared memory never detaches views, and a
 * view made by another thread (or before a growth) has a different SharedArrayBuffer object for the
 * same memory, so ownership is recognised by the header's tag instead of buffer identity.
 */
import type { KernelsMemory, KernelTypedArray, ViewConstructor } from './types.js';

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

/** Layout of the header of a shared memory, at HEADER_OFFSET (int32 slots). */
const MAGIC = 0x53_4b_64_70; // 'pdKS'
const H_MAGIC = 0;
/** Next free byte, in units of ALIGN (a 4 GiB memory fits in an int32 count of 64-byte units). */
const H_BUMP = 1;
const H_TAG0 = 2;
const H_TAG1 = 3;
const HEADER_BYTES = 64;
/** Heap regions claimed from a shared memory are at least this large (fewer atomic claims). */
const MIN_CLAIM = 4 * 2 ** 20;

/** Where the header of a shared memory sits: after the module's static data (same for every instance). */
export function headerOffset(heapBase: number): number {
  return align(heapBase);
}

function headerOf(buffer: ArrayBufferLike, heapBase: number): Int32Array | undefined {
  const off = headerOffset(heapBase);
  if (buffer.byteLength < off + HEADER_BYTES) return undefined;
  return new Int32Array(buffer, off, HEADER_BYTES / 4);
}

/**
 * Writes the header of a fresh shared memory (idempotent: the first caller wins). Returns the
 * header view.
 */
export function initSharedHeader(memory: KernelsMemory, heapBase: number): Int32Array {
  const need = headerOffset(heapBase) + HEADER_BYTES;
  if (memory.buffer.byteLength < need) memory.grow(Math.ceil((need - memory.buffer.byteLength) / PAGE));
  const h = headerOf(memory.buffer, heapBase)!;
  if (Atomics.load(h, H_MAGIC) !== MAGIC) {
    const tag0 = (Math.random() * 2 ** 32) | 0;
    const tag1 = (Math.random() * 2 ** 32) | 0;
    if (Atomics.compareExchange(h, H_TAG0, 0, tag0 || 1) === 0) {
      Atomics.store(h, H_TAG1, tag1);
      Atomics.store(h, H_BUMP, need / ALIGN);
      Atomics.store(h, H_MAGIC, MAGIC);
    }
  }
  while (Atomics.load(h, H_MAGIC) !== MAGIC) Atomics.wait(h, H_MAGIC, 0, 1);
  return h;
}

/** The identity of a shared kernels memory (its header tag), or undefined for other buffers. */
export function sharedTagOf(buffer: ArrayBufferLike, heapBase: number): string | undefined {
  if (typeof SharedArrayBuffer === 'undefined' || !(buffer instanceof SharedArrayBuffer)) return undefined;
  const h = headerOf(buffer, heapBase);
  if (!h || h[H_MAGIC] !== MAGIC) return undefined;
  return `${h[H_TAG0]}:${h[H_TAG1]}`;
}

interface Range {
  ptr: number;
  size: number;
}

export class KernelMemory {
  readonly memory: KernelsMemory;
  private buf: ArrayBuffer;
  private readonly retired = new WeakSet<ArrayBuffer>();
  /** Free ranges sorted by address, never adjacent (they are coalesced on release). */
  private readonly free: Range[] = [];
  private readonly used = new Map<number, number>();
  /** Fixed areas carved out at start: kernel state slots and the streaming blocks. */
  readonly state: number;
  readonly scratch: number;
  readonly scratchBytes: number;
  /** Whether the memory is shared between threads (see the module comment). */
  readonly shared: boolean;
  /** Header tag of a shared memory: recognises views of it made elsewhere. */
  readonly tag: string | undefined;
  private readonly header: Int32Array | undefined;
  private readonly heapBase: number;

  constructor(memory: KernelsMemory, heapBase: number, scratchBytes: number) {
    this.memory = memory;
    this.heapBase = heapBase;
    this.buf = memory.buffer as ArrayBuffer;
    this.shared = typeof SharedArrayBuffer !== 'undefined' && (memory.buffer as ArrayBufferLike) instanceof SharedArrayBuffer;
    this.scratchBytes = scratchBytes;
    if (this.shared) {
      this.header = initSharedHeader(memory, heapBase);
      this.tag = sharedTagOf(memory.buffer, heapBase);
      this.state = this.claim(1024 + scratchBytes);
      this.scratch = this.state + 1024;
      return;
    }
    const start = align(heapBase);
    this.state = start;
    this.scratch = start + 1024;
    const heap = align(this.scratch + scratchBytes);
    this.ensure(heap);
    this.free.push({ ptr: heap, size: this.buffer.byteLength - heap });
  }

  /** The current buffer; after growth the old one is remembered as retired (non-shared memory). */
  get buffer(): ArrayBuffer {
    const b = this.memory.buffer as ArrayBuffer;
    if (b !== this.buf) {
      if (!this.shared) this.retired.add(this.buf);
      this.buf = b;
    }
    return b;
  }

  /** Whether `view` is a view of this memory (current buffer). Throws for a view of a retired buffer. */
  owns(view: ArrayBufferView): boolean {
    const b = this.buffer;
    if (view.buffer === b) return true;
    if (this.shared) {
      // Another SharedArrayBuffer object of the same memory (another thread's, or pre-growth).
      return view.buffer instanceof SharedArrayBuffer && view.byteOffset + view.byteLength <= b.byteLength &&
        sharedTagOf(view.buffer, this.heapBase) === this.tag;
    }
    if (this.retired.has(view.buffer as ArrayBuffer)) throw new StaleViewError();
    return false;
  }

  /**
   * Claims `bytes` (aligned) for this thread from a shared memory's bump pointer, growing the
   * memory if needed. Claimed regions are never returned to other threads.
   */
  private claim(bytes: number): number {
    const h = this.header!;
    const units = Math.ceil(bytes / ALIGN);
    let start: number;
    for (;;) {
      start = Atomics.load(h, H_BUMP);
      if ((start + units) * ALIGN > MAX_PAGES * PAGE) throw new RangeError(`kernel memory would exceed 4 GiB (${bytes} bytes requested)`);
      if (Atomics.compareExchange(h, H_BUMP, start, start + units) === start) break;
    }
    const end = (start + units) * ALIGN;
    // Concurrent claims may both grow; growth is atomic, so the memory just ends up large enough.
    while (this.memory.buffer.byteLength < end) {
      const have = this.memory.buffer.byteLength;
      try {
        this.memory.grow(Math.ceil((end - have) / PAGE));
      } catch (e) {
        if (this.memory.buffer.byteLength < end) throw e;
      }
    }
    return start * ALIGN;
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
    if (this.shared) {
      const got = Math.max(size, MIN_CLAIM);
      const ptr = this.claim(got);
      this.used.set(ptr, size);
      if (got > size) this.addFree(ptr + size, got - size);
      return ptr;
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
    this.addFree(ptr, size);
  }

  /** Puts a range on the free list, coalescing it with its neighbours. */
  private addFree(ptr: number, size: number): void {
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
