/**
 * The parts of Apache Arrow JS's `Vector`/`Data` the kernels read, typed structurally so that this
 * package does not depend on apache-arrow: pass `table.getChild('key')` (or any Vector) directly.
 * Buffers are read where they are (values, offsets, validity), following Arrow's slicing rules:
 * `values` and `valueOffsets` start at the chunk's first row, the validity bitmap at bit `offset`.
 */
export type IntegerArray = Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array;

export interface ArrowDataLike {
  readonly length: number;
  readonly offset: number;
  readonly nullCount: number;
  readonly values: unknown;
  readonly valueOffsets?: unknown;
  readonly nullBitmap?: Uint8Array | null;
  readonly dictionary?: ArrowVectorLike | null;
}

export interface ArrowVectorLike {
  readonly data: readonly ArrowDataLike[];
}

export function isArrowVector(v: unknown): v is ArrowVectorLike {
  return typeof v === 'object' && v !== null && Array.isArray((v as { data?: unknown }).data);
}

/** The chunk's validity bitmap and bit offset, or undefined when it has no nulls. */
export function validityOf(d: ArrowDataLike): { bitmap: Uint8Array; bit: number } | undefined {
  if (d.nullCount === 0 || !d.nullBitmap || d.nullBitmap.length === 0) return undefined;
  return { bitmap: d.nullBitmap, bit: d.offset };
}

export function isValidAt(v: { bitmap: Uint8Array; bit: number } | undefined, i: number): boolean {
  if (!v) return true;
  const b = v.bit + i;
  return ((v.bitmap[b >> 3] >> (b & 7)) & 1) === 1;
}
