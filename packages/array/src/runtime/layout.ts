/** Runtime of the layout operations: assembling, cutting, gathering and reshaping blocks. */
import { alloc, type DType } from '../dtype';
import { NDArray } from '../ndarray';
import { broadcastTo as broadcastData, copyRegion, same, sizeOf, stridesOf, transposeBlock, type Block } from './block';
import { evalBlock, type BlockPlace, type ExprNode } from './expr';
import { randomBlock } from './random-block';

/** One output block of a fused elementwise program. */
export function blockwiseBlock(expr: ExprNode, place0: BlockPlace, ...inputs: Block[]): Block {
  const place = knownPlace(place0, inputs);
  // A random block alone is generated into kernel memory, where its reductions read it in place.
  const gen = expr.t === 'gen' ? randomBlock(expr, place) : undefined;
  if (gen) return gen;
  const data = inputs.map((b) => (b.shape.length === place.shape.length && b.shape.every((s, i) => s === place.shape[i]) ? b.data : broadcastData(b, place.shape)));
  return { dtype: expr.dtype, shape: [...place.shape], data: evalBlock(expr, data, place) };
}

/**
 * The place of a block whose size was unknown when the graph was built (after a lazy mask): its
 * inputs of full rank carry the real sizes (they are never broadcast along such dimensions).
 */
export function knownPlace(place: BlockPlace, inputs: readonly Block[]): BlockPlace {
  if (!place.shape.some((s) => Number.isNaN(s))) return place;
  const full = inputs.find((b) => b.shape.length === place.shape.length);
  if (!full) throw new RangeError('a block of unknown size has no input of its rank');
  return { ...place, shape: place.shape.map((s, d) => (Number.isNaN(s) ? full.shape[d] : s)), offset: place.offset.map((o) => (Number.isNaN(o) ? 0 : o)) };
}

/** Chunks and shape from the blocks themselves, for arrays with unknown chunk sizes. */
function knownMeta(blocks: readonly Block[], meta: AssembleMeta): AssembleMeta {
  const grid = meta.chunks.map((c) => c.length);
  const st = stridesOf(grid);
  const chunks = grid.map((g, d) => Array.from({ length: g }, (_, i) => blocks[i * st[d]].shape[d]));
  return { dtype: meta.dtype, chunks, shape: chunks.map((c) => c.reduce((a, b) => a + b, 0)) };
}

export interface AssembleMeta {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly chunks: readonly (readonly number[])[];
}

/** The finalizer of an array: its blocks (C order) as one NDArray, or a number for a 0-d array. */
export function assemble(blocks: readonly Block[], meta0: AssembleMeta): NDArray | number | boolean {
  const meta = meta0.shape.some((s) => Number.isNaN(s)) ? knownMeta(blocks, meta0) : meta0;
  const whole = assembleBlock(blocks, meta);
  if (meta.shape.length === 0) return meta.dtype === 'bool' ? whole.data[0] !== 0 : Number(whole.data[0]);
  return NDArray.fromBlock(whole);
}

export function assembleBlock(blocks: readonly Block[], meta: AssembleMeta): Block {
  if (blocks.length === 1 && blocks[0].data.length === sizeOf(meta.shape)) {
    const b = blocks[0];
    // A result must not alias the arena (it would outlive the array that frees that memory), nor
    // the shared buffer of a mid-sized fromArray (the caller gets an ordinary array that changing
    // cannot change the array's blocks, and V8 reads ordinary memory faster).
    const copy = b.mem !== undefined || (typeof SharedArrayBuffer !== 'undefined' && b.data.buffer instanceof SharedArrayBuffer);
    return { dtype: meta.dtype, shape: [...meta.shape], data: copy ? b.data.slice() : b.data };
  }
  const out = alloc(meta.dtype, sizeOf(meta.shape));
  const nd = meta.shape.length;
  const grid = meta.chunks.map((c) => c.length);
  const idx = new Array<number>(nd).fill(0);
  const starts = meta.chunks.map((c) => {
    const s = [0];
    for (const x of c) s.push(s[s.length - 1] + x);
    return s;
  });
  for (const b of blocks) {
    const off = idx.map((i, d) => starts[d][i]);
    copyRegion(b.data, b.shape, new Array(nd).fill(0), out, meta.shape, off, b.shape);
    let d = nd - 1;
    while (d >= 0 && ++idx[d] === grid[d]) idx[d--] = 0;
  }
  return { dtype: meta.dtype, shape: [...meta.shape], data: out };
}

/** A piece of an output block: a region of one input block placed at `dst`. */
export interface Piece {
  readonly src: readonly number[];
  readonly count: readonly number[];
  readonly dst: readonly number[];
}

/** Builds one block from regions of several input blocks (rechunk, concatenate, overlap). */
export function gatherPieces(dtype: DType, shape: readonly number[], pieces: readonly Piece[], ...inputs: Block[]): Block {
  if (pieces.length === 1 && inputs[0].shape.every((s, d) => s === shape[d]) && pieces[0].src.every((s) => s === 0)) return inputs[0];
  const out = alloc(dtype, sizeOf(shape));
  pieces.forEach((p, i) => copyRegion(inputs[i].data, inputs[i].shape, p.src, out, shape, p.dst, p.count));
  return { dtype, shape: [...shape], data: out };
}

/** A selection along one dimension of a block: a strided range or explicit local indices. */
export type DimSel = { readonly s: number; readonly n: number; readonly st: number } | { readonly ix: readonly number[] };

/** NumPy indexing within a block; the result is reshaped to `outShape` (dropped and new axes). */
export function selectBlock(sel: readonly DimSel[], outShape: readonly number[], b: Block): Block {
  const nd = b.shape.length;
  const counts = sel.map((s) => ('ix' in s ? s.ix.length : s.n));
  const n = sizeOf(counts);
  const out = alloc(b.dtype, n);
  const st = stridesOf(b.shape);
  if (n > 0) {
    const pos = sel.map((s) => ('ix' in s ? Int32Array.from(s.ix) : Int32Array.from({ length: s.n }, (_, i) => s.s + i * s.st)));
    const idx = new Array<number>(nd).fill(0);
    const last = nd - 1;
    const lastPos = pos[last];
    const contiguous = !('ix' in sel[last]) && (sel[last] as { st: number }).st === 1;
    for (let o = 0; o < n; ) {
      let base = 0;
      for (let d = 0; d < last; d++) base += pos[d][idx[d]] * st[d];
      if (contiguous) {
        const s0 = base + lastPos[0];
        same(out).set(same(b.data).subarray(s0, s0 + lastPos.length), o);
        o += lastPos.length;
      } else {
        for (let j = 0; j < lastPos.length; j++) same(out)[o++] = same(b.data)[base + lastPos[j]];
      }
      let d = last - 1;
      while (d >= 0 && ++idx[d] === counts[d]) idx[d--] = 0;
      if (d < 0) break;
    }
  }
  return { dtype: b.dtype, shape: [...outShape], data: out };
}

/** Same data, another shape (C order is kept). */
export function reshapeBlock(shape: readonly number[], b: Block): Block {
  if (sizeOf(shape) !== b.data.length) throw new RangeError(`cannot reshape a block of ${b.data.length} elements to [${shape.join(', ')}]`);
  return { dtype: b.dtype, shape: [...shape], data: b.data };
}

export function transposeOp(perm: readonly number[], b: Block): Block {
  return transposeBlock(b, perm);
}

/** Casts a block (astype). */
export function astypeBlock(dtype: DType, b: Block): Block {
  return NDArray.fromBlock(b).astype(dtype).toBlock();
}

/** The block with only the positions along `axis` where the mask block is true (a lazy mask). */
export function maskBlock(axis: number, b: Block, mask: Block): Block {
  const ix: number[] = [];
  for (let i = 0; i < mask.data.length; i++) if (mask.data[i]) ix.push(i);
  const sel: DimSel[] = b.shape.map((s, d) => (d === axis ? { ix } : { s: 0, n: s, st: 1 }));
  return selectBlock(sel, b.shape.map((s, d) => (d === axis ? ix.length : s)), b);
}

/** The shape of a block (computeChunkSizes). */
export function blockShapeOf(b: Block): Block {
  return { dtype: 'float64', shape: [...b.shape.map(() => 1), b.shape.length], data: Float64Array.from(b.shape) };
}
