/**
 * Working arrays reused by the sort and gather tasks of this thread. Each sort of a partition
 * allocated several arrays of its length that died with the task (zeroed by the allocator, then
 * collected): reusing them takes that work off every task. Only scratch memory lives here, never
 * a task's result; arrays past SCRATCH_MAX_BYTES are not kept, so a thread holds little after one
 * huge partition.
 */

const SCRATCH_MAX_BYTES = 16 << 20;

export type Numbers = Int32Array | Float64Array | Float32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array | BigInt64Array | BigUint64Array;
type NumbersCtor<T extends Numbers> = { new (n: number): T; readonly BYTES_PER_ELEMENT: number; readonly name: string };

const held = new Map<string, Numbers>();

/**
 * A working array of `n` elements of the given type for `slot` (one name per array a task uses at
 * once), with any contents: valid until the next call with the same slot and type in this thread.
 */
export function scratch<T extends Numbers>(Ctor: NumbersCtor<T>, slot: string, n: number): T {
  const key = `${Ctor.name}:${slot}`;
  const have = held.get(key) as T | undefined;
  if (have && have.length >= n) return have.subarray(0, n) as T;
  // Grown with headroom, so that partitions of slightly different sizes reuse one array.
  const size = Math.max(n + (n >> 3), 1024);
  if (size * Ctor.BYTES_PER_ELEMENT > SCRATCH_MAX_BYTES) return new Ctor(n);
  const made = new Ctor(size);
  held.set(key, made);
  return made.subarray(0, n) as T;
}
