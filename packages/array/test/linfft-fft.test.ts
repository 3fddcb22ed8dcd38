/**
 * da.fft against numpy.fft (fixture section "fft" of linfft.json, fixtures/make_linfft.py):
 * power-of-two and other lengths (Bluestein), cut/padded n, norms, int and NaN input, complex
 * input, the n-d transforms along unchunked axes with the other axes chunked oddly, the
 * frequencies and shifts, and Dask's refusal of a chunked axis.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { closeThreadPools, compute } from '@pdask/core';
import * as da from '../src/index';
import { NDArray } from '../src/ndarray';
import { decode, type Enc } from './helpers';

afterAll(() => closeThreadPools());
const sync = { scheduler: 'sync' } as const;
const threads = { scheduler: 'threads', numWorkers: 2 } as const;
type CEnc = { re: Enc; im: Enc };
const FX = JSON.parse(readFileSync(new URL('./fixtures/linfft.json', import.meta.url), 'utf8')) as { fft: Record<string, Enc & CEnc> & { 'dask chunk error': string } };
const F = FX.fft;

const real = (e: Enc) => new NDArray(e.dtype === 'int32' ? Int32Array.from(decode(e)) : Float64Array.from(decode(e)), e.shape, e.dtype === 'int32' ? 'int32' : 'float64');
/** A fixture as a chunked array: real, or complex from its parts. */
function input(name: string, chunks: unknown): da.Array<unknown> | da.ComplexArray {
  const e = F[name];
  if ('re' in e) return da.fft.complex(da.fromArray(real(e.re), { chunks: chunks as never }), da.fromArray(real(e.im), { chunks: chunks as never }));
  return da.fromArray(real(e), { chunks: chunks as never });
}

/** Values within 1e-10 of the largest magnitude (FFT round-off scales with it); NaN equals NaN. */
function near(got: NDArray, want: Enc, label: string): void {
  expect(got.shape, label).toEqual(want.shape);
  const w = decode(want);
  const scale = Math.max(1, ...w.filter(Number.isFinite).map(Math.abs));
  w.forEach((v, k) => {
    const g = got.data[k];
    if (Number.isNaN(v)) expect(g, `${label}[${k}]`).toBeNaN();
    else if (Math.abs(g - v) > 1e-10 * scale) expect(g, `${label}[${k}]`).toBe(v);
  });
}
async function check(x: da.ComplexArray | da.Array<unknown>, key: string, opts: object = sync): Promise<void> {
  const want = F[key];
  if (x instanceof da.ComplexArray) {
    const z = await x.compute(opts);
    near(z.re, want.re, `${key} re`);
    near(z.im, want.im, `${key} im`);
  } else {
    expect('re' in want, key).toBe(false);
    near((await x.compute(opts)) as NDArray, want, key);
  }
}

describe('da.fft 1-d transforms', () => {
  it('fft of even, power-of-two, odd, int32, NaN and complex input; n cut and padded; ifft', async () => {
    await check(da.fft.fft(input('x12', 12)), 'fft(x12)');
    await check(da.fft.fft(input('x12', -1), { n: 16 }), 'fft(x12,n=16)');
    await check(da.fft.fft(input('x12', 12), { n: 5 }), 'fft(x12,n=5)');
    await check(da.fft.ifft(input('x12', 12)), 'ifft(x12)', threads);
    await check(da.fft.fft(input('x8', 8)), 'fft(x8)');
    await check(da.fft.fft(input('x7', 7)), 'fft(x7)');
    await check(da.fft.fft(input('i9', 9)), 'fft(i9)');
    await check(da.fft.fft(input('xn', 8)), 'fft(xn)');
    await check(da.fft.fft(input('z7', 7)), 'fft(z7)');
    await check(da.fft.ifft(input('z7', 7)), 'ifft(z7)');
  });
  it('rfft, irfft, hfft, ihfft (default and given n)', async () => {
    await check(da.fft.rfft(input('x12', 12)), 'rfft(x12)');
    await check(da.fft.rfft(input('x7', 7)), 'rfft(x7)');
    await check(da.fft.rfft(input('x12', 12), { n: 9 }), 'rfft(x12,n=9)');
    await check(da.fft.irfft(input('z7', 7)), 'irfft(z7)');
    await check(da.fft.irfft(input('z7', 7), { n: 13 }), 'irfft(z7,n=13)');
    await check(da.fft.irfft(input('z7', 7), { n: 5 }), 'irfft(z7,n=5)');
    await check(da.fft.hfft(input('z7', 7)), 'hfft(z7)');
    await check(da.fft.hfft(input('z7', 7), { n: 11 }), 'hfft(z7,n=11)');
    await check(da.fft.ihfft(input('x12', 12)), 'ihfft(x12)');
    await check(da.fft.ihfft(input('x7', 7)), 'ihfft(x7)');
  });
  it("NumPy's norms: ortho and forward", async () => {
    await check(da.fft.fft(input('x12', 12), { norm: 'ortho' }), 'fft(x12,ortho)');
    await check(da.fft.ifft(input('z7', 7), { norm: 'forward' }), 'ifft(z7,forward)');
    await check(da.fft.rfft(input('x7', 7), { norm: 'forward' }), 'rfft(x7,forward)');
    await check(da.fft.irfft(input('z7', 7), { norm: 'ortho' }), 'irfft(z7,ortho)');
    await check(da.fft.hfft(input('z7', 7), { norm: 'ortho' }), 'hfft(z7,ortho)');
    await check(da.fft.ihfft(input('x7', 7), { norm: 'forward' }), 'ihfft(x7,forward)');
  });
});

describe('da.fft n-d transforms with the other axes chunked', () => {
  it('along one axis: axis 0 with columns in one-element blocks, the last axis with rows uneven', async () => {
    await check(da.fft.fft(input('X', [-1, 1]), { axis: 0 }), 'fft(X,axis=0)', threads);
    await check(da.fft.fft(input('X', [[4, 2], -1])), 'fft(X)');
    const z = da.fft.fft(input('X', [[1, 5], -1]));
    expect((z as da.ComplexArray).chunks).toEqual([[1, 5], [5]]);
  });
  it('fft2, ifft2 (complex input, s), rfft2, irfft2', async () => {
    await check(da.fft.fft2(input('X', -1)), 'fft2(X)');
    await check(da.fft.ifft2(input('Z', -1)), 'ifft2(Z)');
    await check(da.fft.fft2(input('Z', -1), { s: [4, 7] }), 'fft2(Z,s=(4,7))');
    await check(da.fft.rfft2(input('X', -1)), 'rfft2(X)');
    await check(da.fft.irfft2(input('Zh', -1)), 'irfft2(Zh)');
    await check(da.fft.irfft2(input('Zh', -1), { s: [6, 5] }), 'irfft2(Zh,s=(6,5))');
  });
  it('fftn, ifftn, rfftn, irfftn over 3-d input (axis 1 chunked where not transformed)', async () => {
    await check(da.fft.fftn(input('X3', -1)), 'fftn(X3)');
    await check(da.fft.fftn(input('X3', [-1, 1, -1]), { axes: [0, 2] }), 'fftn(X3,axes=(0,2))', threads);
    await check(da.fft.ifftn(input('X3', -1), { norm: 'ortho' }), 'ifftn(X3,ortho)');
    await check(da.fft.rfftn(input('X3', -1)), 'rfftn(X3)');
    await check(da.fft.irfftn(da.fft.rfftn(input('X3', -1)), { s: [4, 3, 5] }), 'irfftn(rfftn(X3))');
    await check(da.fft.irfftn(input('Zh', -1)), 'irfftn(Zh)');
  });
  it("refuses a chunked axis as Dask does, naming the axis, its chunks and the rechunk", () => {
    expect(F['dask chunk error']).toMatch(/axis 0 \nwhich has chunks \(2, 2, 2\)/);
    const x = da.fromArray(real(F.X), { chunks: [2, 5] });
    expect(() => da.fft.fft(x, { axis: 0 })).toThrow(/axis 0 has chunks \(2, 2, 2\).*x\.rechunk\(\[-1, 5\]\)/);
    expect(() => da.fft.fft2(x)).toThrow(/axis 0/);
    expect(() => da.fft.rfft(input('z7', 7) as da.ComplexArray)).toThrow(/must be real/);
    expect(() => da.fft.fft(x.rechunk(-1), { n: 0 })).toThrow(/invalid number of FFT data points \(0\)/);
    expect(() => da.fft.fft(x.rechunk(-1), { nn: 3 } as never)).toThrow(/unknown option 'nn'/);
  });
});

describe('da.fft frequencies and shifts', () => {
  it('fftfreq and rfftfreq (any chunks, spacing d)', async () => {
    near((await da.fft.fftfreq(12, { chunks: 5 }).compute(sync)) as NDArray, F['fftfreq(12)'], 'fftfreq(12)');
    near((await da.fft.fftfreq(12, { chunks: 5 }).compute(sync)) as NDArray, F['dask fftfreq(12)'], 'dask fftfreq(12)');
    near((await da.fft.fftfreq(7, { d: 0.1, chunks: 1 }).compute(sync)) as NDArray, F['fftfreq(7,0.1)'], 'fftfreq(7)');
    near((await da.fft.rfftfreq(12).compute(sync)) as NDArray, F['rfftfreq(12)'], 'rfftfreq(12)');
    near((await da.fft.rfftfreq(7, { d: 0.5, chunks: 2 }).compute(sync)) as NDArray, F['rfftfreq(7,0.5)'], 'rfftfreq(7)');
  });
  it('fftshift and ifftshift over any chunking, real and complex', async () => {
    for (const chunks of [1, [4, 2], -1]) {
      near((await da.fft.fftshift(da.fromArray(real(F.X), { chunks: chunks as never })).compute(sync)) as NDArray, F['fftshift(X)'], 'fftshift(X)');
      near((await da.fft.ifftshift(da.fromArray(real(F.X), { chunks: chunks as never }), { axes: 0 }).compute(sync)) as NDArray, F['ifftshift(X,axes=0)'], 'ifftshift');
    }
    near((await da.fft.fftshift(da.fromArray(real(F.x7), { chunks: 3 })).compute(sync)) as NDArray, F['fftshift(x7)'], 'fftshift(x7)');
    near((await da.fft.ifftshift(da.fromArray(real(F.x7), { chunks: 3 })).compute(sync)) as NDArray, F['ifftshift(x7)'], 'ifftshift(x7)');
    await check(da.fft.fftshift(da.fft.fft(input('x12', 12))), 'fftshift(fft(x12))');
  });
  it('complex arrays: real, imag, abs, conj, and core compute sharing the transform', async () => {
    const z = da.fft.fft(input('x12', 12));
    const [re, im, ab] = (await compute(z.real, z.imag, z.abs(), sync)) as NDArray[];
    near(re, F['fft(x12)'].re, 're');
    near(im, F['fft(x12)'].im, 'im');
    const w = decode(F['fft(x12)'].re).map((r, k) => Math.hypot(r, decode(F['fft(x12)'].im)[k]));
    w.forEach((v, k) => expect(ab.data[k]).toBeCloseTo(v, 10));
    const c = await z.conj().compute(sync);
    decode(F['fft(x12)'].im).forEach((v, k) => expect(c.im.data[k]).toBeCloseTo(-v, 10));
    expect(z.shape).toEqual([12]);
    expect(z.dtype).toBe('complex128');
  });
});
