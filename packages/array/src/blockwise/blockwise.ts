/**
 * blockwise: Dask's index notation. Each argument is an array with a string of index letters (one
 * per dimension) or a literal with `null`; the output's letters say which dimensions it has. A
 * letter shared by several arrays pairs their blocks (a dimension of length 1 broadcasts: its one
 * block goes with every block of the letter); a letter absent from the output is contracted: the
 * function gets the list of blocks along it (or, with `concatenate: true`, those blocks joined
 * into one). A letter repeated within one argument ('ii') reads its diagonal blocks.
 */
import { checkOptions, fnArg, lit, ref, toOpRef, tokenize, type ArgSpec, type OpFunction, type OptionSchema } from '@pdask/core';
import { DTYPE, NOT_YET } from '../options';
import { ChunkedArray, fromBlocks, USER_CODE } from '../array';
import { sameChunks } from '../chunks';
import { toDType, type DType } from '../dtype';
import type { NDArray } from '../ndarray';
import { arrayOps } from '../ops/index';
import { rechunk } from '../rechunk/rechunk';
import type { BlockwiseSpec } from '../runtime/user';
import { blockInfo } from './block-info';
import { planLetters, uniqueLetters, type IndexedArg } from './letters';

export interface BlockwiseOptions {
  /** dtype of the result (default: the first array's). */
  dtype?: DType | string;
  /**
   * Block sizes of output dimensions the function changes, by letter: a number (every block that
   * size), one size per block, or a function of the input block size (Dask's `adjust_chunks`).
   */
  adjustChunks?: Record<string, number | readonly number[] | ((n: number) => number)>;
  /** Output letters that no input has, with their size (one block) or block sizes (Dask's `new_axes`). */
  newAxes?: Record<string, number | readonly number[]>;
  /** Join the blocks along contracted letters into one block per argument (default false, as Dask). */
  concatenate?: boolean;
  /**
   * Rechunk arrays whose chunks along a shared letter differ to their common refinement (default
   * true, Dask's `align_arrays`); false makes that an error.
   */
  alignArrays?: boolean;
  /** Label of the tasks (default 'blockwise' or the function's name). */
  name?: string;
}

const SCHEMA: OptionSchema<BlockwiseOptions & { meta?: unknown; token?: unknown; nameIsToken?: unknown }> = {
  dtype: DTYPE,
  adjustChunks: 'object',
  newAxes: 'object',
  concatenate: 'boolean',
  alignArrays: 'boolean',
  name: 'string',
  meta: { unsupported: 'not implemented yet (give dtype)' },
  token: NOT_YET,
  nameIsToken: NOT_YET,
};

type BlockwiseFn = (...args: any[]) => NDArray | ArrayBufferView | number;

const isOptions = (v: unknown): v is BlockwiseOptions => !!v && typeof v === 'object' && !(v instanceof ChunkedArray) && !Array.isArray(v) && !ArrayBuffer.isView(v) && Object.getPrototypeOf(v) === Object.prototype;

/**
 * `blockwise(fn, 'ij', x, 'ij', y, 'ji')`, optionally followed by an options object. `fn(...args,
 * info)` runs on worker threads (self-contained), once per output block.
 */
export function blockwise(fn: BlockwiseFn, outIndex: string, ...rest: unknown[]): ChunkedArray<NDArray> {
  let opts: BlockwiseOptions = {};
  if (rest.length % 2 === 1) {
    const last = rest[rest.length - 1];
    if (!isOptions(last)) throw new TypeError('blockwise: arguments come in pairs (array, index string), optionally followed by an options object');
    opts = checkOptions('da.blockwise', last, SCHEMA);
    rest = rest.slice(0, -1);
  }
  const pairs: { v: unknown; ix: string | null }[] = [];
  for (let k = 0; k < rest.length; k += 2) {
    const ix = rest[k + 1];
    if (ix !== null && typeof ix !== 'string') throw new TypeError(`blockwise: argument ${k / 2} needs an index string (or null for a literal), got ${typeof ix}`);
    pairs.push({ v: rest[k], ix: ix as string | null });
  }
  const arrays = pairs.filter((p) => p.ix !== null);
  if (!arrays.length) throw new RangeError('blockwise: at least one array argument is needed');
  if (new Set(outIndex).size !== outIndex.length) throw new RangeError(`blockwise: output index '${outIndex}' repeats a letter`);

  const indexed: IndexedArg[] = [];
  pairs.forEach((p, k) => {
    if (p.ix === null) return;
    const a = p.v;
    if (!(a instanceof ChunkedArray)) throw new TypeError(`blockwise: argument ${k} has index '${p.ix}' but is not a chunked array (use null as the index of a literal)`);
    if (a.ndim !== p.ix.length) throw new RangeError(`blockwise: argument ${k} has ${a.ndim} dimensions but index '${p.ix}' has ${p.ix.length} letters`);
    indexed.push({ arg: k, ix: p.ix, shape: a.shape, chunks: a.chunks });
  });
  const plan = planLetters(indexed, opts.alignArrays !== false);
  const chunksOf = plan.chunks;
  const bcastOf = new Map(indexed.map((a, n) => [a.arg, plan.broadcast[n]]));
  const newAxes = opts.newAxes ?? {};
  for (const c of Object.keys(newAxes)) {
    if (chunksOf.has(c)) throw new RangeError(`blockwise: newAxes letter '${c}' is already an index of an input`);
    if (!outIndex.includes(c)) throw new RangeError(`blockwise: newAxes letter '${c}' is not in the output index '${outIndex}'`);
    const v = newAxes[c];
    const sizes = typeof v === 'number' ? [v] : [...v];
    if (!sizes.length || sizes.some((s) => !Number.isInteger(s) || s < 0)) throw new RangeError(`blockwise: newAxes '${c}' must be a size or a list of block sizes`);
    chunksOf.set(c, sizes);
  }
  for (const c of outIndex) if (!chunksOf.has(c)) throw new RangeError(`blockwise: output index '${c}' is in no input; give its size in newAxes`);

  // Arguments rechunked to the unified chunks.
  const args = pairs.map((p, k) => {
    if (p.ix === null) return p;
    const a = p.v as ChunkedArray<unknown>;
    const bc = bcastOf.get(k)!;
    const want = [...p.ix].map((c, d) => (bc[d] ? [1] : chunksOf.get(c)!));
    return a.chunks.every((c, d) => sameChunks(c, want[d])) ? p : { v: rechunk(a, want), ix: p.ix };
  });

  // Output chunks (with adjustChunks).
  const adjust = opts.adjustChunks ?? {};
  for (const c of Object.keys(adjust)) if (!outIndex.includes(c)) throw new RangeError(`blockwise: adjustChunks letter '${c}' is not in the output index '${outIndex}'`);
  const chunks = [...outIndex].map((c) => {
    const base = chunksOf.get(c)!;
    const a = adjust[c];
    if (a === undefined) return [...base];
    if (typeof a === 'number') return base.map(() => a);
    if (typeof a === 'function') return base.map((n) => a(n));
    if (a.length !== base.length) throw new RangeError(`blockwise: adjustChunks '${c}' gives ${a.length} block sizes for ${base.length} blocks`);
    return [...a];
  });
  const shape = chunks.map((c) => c.reduce((x, y) => x + y, 0));
  const contracted = [...new Set(arrays.flatMap((p) => [...p.ix!]))].filter((c) => !outIndex.includes(c));
  const dtype = opts.dtype ? toDType(opts.dtype) : (arrays[0].v as ChunkedArray<unknown>).dtype;
  const concatenate = opts.concatenate ?? false;
  const op = toOpRef(fn as unknown as OpFunction);
  const label = opts.name ?? (op.name || 'blockwise');
  const ins = args.filter((p) => p.ix !== null).map((p) => p.v as ChunkedArray<unknown>);
  const literals = args.filter((p) => p.ix === null).map((p) => p.v);
  const name = `${label}-${tokenize(op, outIndex, args.map((p) => p.ix), ins.map((a) => a.name), literals, chunks, dtype, concatenate)}`;
  // Per argument, the contracted letters it nests lists over (outermost first) and, for
  // concatenate, the axis each level joins along. A letter repeated in one argument is one level
  // (its diagonal blocks); a broadcast dimension is one block, repeated in a list (as Dask) but
  // never joined with itself.
  const levels = args.map((p, k) => {
    if (p.ix === null) return null;
    const ix = p.ix;
    const bc = bcastOf.get(k)!;
    return uniqueLetters(ix)
      .filter((c) => contracted.includes(c))
      .map((c) => {
        const dims = [...ix].map((l, d) => (l === c && !bc[d] ? d : -1)).filter((d) => d >= 0);
        if (concatenate && dims.length > 1) {
          throw new RangeError(`blockwise: concatenate: true cannot join the blocks of letter '${c}', which argument ${k} repeats (index '${ix}'): they are diagonal blocks, not one row of blocks; use concatenate: false`);
        }
        return { letter: c, dims, axis: dims.length ? dims[0] : ix.indexOf(c) };
      })
      .filter((l) => !concatenate || l.dims.length > 0);
  });
  const argAxes = levels.map((ls) => (ls === null ? null : ls.map((l) => l.axis)));

  const out = fromBlocks<NDArray>(label, name, shape, chunks, dtype, (idx, key) => {
    const at = new Map<string, number>();
    [...outIndex].forEach((c, d) => at.set(c, idx[d]));
    const argSpec = (p: { v: unknown; ix: string | null }, k: number): ArgSpec => {
      if (p.ix === null) return lit(p.v);
      const a = p.v as ChunkedArray<unknown>;
      const bc = bcastOf.get(k)!;
      const ls = levels[k]!;
      const pos = [...p.ix].map((c, d) => (bc[d] ? 0 : (at.get(c) ?? 0)));
      const build = (level: number): ArgSpec => {
        if (level === ls.length) return ref(a.key(pos));
        const { letter, dims } = ls[level];
        const items: ArgSpec[] = [];
        for (let b = 0; b < chunksOf.get(letter)!.length; b++) {
          for (const d of dims) pos[d] = b;
          items.push(build(level + 1));
        }
        return { t: 'arr', items };
      };
      return build(0);
    };
    const info = blockInfo(chunks, idx, shape, dtype);
    const spec: BlockwiseSpec = { info, args: argAxes, concatenate };
    return arrayOps.blockwiseUser.task(key, fnArg(op), lit(spec), ...args.map((p, k) => argSpec(p, k)));
  }, ins, [], USER_CODE);
  return out;
}
