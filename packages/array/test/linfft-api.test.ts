/**
 * The da.fft and da.ma namespaces keep the package's option rules: every function (and masked
 * array method) taking an options object refuses a misspelt option by name, and every export of
 * the namespaces is classified here, so a new one cannot escape the check.
 */
import { describe, expect, it } from 'vitest';
import { OptionError } from '@pdask/core';
import * as da from '../src/index';

const x = da.fromArray(Float64Array.from({ length: 12 }, (_, i) => i), { shape: [3, 4], chunks: [3, 4] });
const m = da.ma.maskedInvalid(x);
type Call = (o: Record<string, unknown>) => unknown;

const CALLS: Record<string, Call> = {
  ...Object.fromEntries(['fft', 'ifft', 'rfft', 'irfft', 'hfft', 'ihfft'].map((n) => [`da.fft.${n}`, (o: object) => (da.fft as unknown as Record<string, (a: unknown, o: object) => unknown>)[n](x, o)])),
  ...Object.fromEntries(['fft2', 'ifft2', 'rfft2', 'irfft2', 'fftn', 'ifftn', 'rfftn', 'irfftn'].map((n) => [`da.fft.${n}`, (o: object) => (da.fft as unknown as Record<string, (a: unknown, o: object) => unknown>)[n](x, o)])),
  'da.fft.fftfreq': (o) => da.fft.fftfreq(4, o),
  'da.fft.rfftfreq': (o) => da.fft.rfftfreq(4, o),
  'da.fft.fftshift': (o) => da.fft.fftshift(x, o),
  'da.fft.ifftshift': (o) => da.fft.ifftshift(x, o),
  'da.ma.maskedArray': (o) => da.ma.maskedArray(x, o),
  'da.ma.fixInvalid': (o) => da.ma.fixInvalid(x, o),
  'da.ma.count': (o) => da.ma.count(m, o),
  ...Object.fromEntries(['sum', 'prod', 'min', 'max', 'mean', 'var', 'std', 'count'].map((n) => [`MaskedArray.${n}`, (o: object) => (m as unknown as Record<string, (o: object) => unknown>)[n](o)])),
};
const POSITIONAL = new Set([
  'fft.ComplexArray', 'fft.ComplexNDArray', 'fft.complex',
  'ma.MaskedArray', 'ma.MaskedNDArray', 'ma.maskedWhere', 'ma.maskedInvalid', 'ma.maskedEqual', 'ma.maskedNotEqual', 'ma.maskedGreater',
  'ma.maskedGreaterEqual', 'ma.maskedLess', 'ma.maskedLessEqual', 'ma.maskedInside', 'ma.maskedOutside', 'ma.filled', 'ma.getdata', 'ma.getmaskarray',
]);

describe('da.fft and da.ma options', () => {
  it('every export of the namespaces is classified', () => {
    const names = [...Object.keys(da.fft).map((k) => `fft.${k}`), ...Object.keys(da.ma).map((k) => `ma.${k}`)];
    expect(names.filter((k) => !POSITIONAL.has(k) && !(`da.${k}` in CALLS))).toEqual([]);
  });
  for (const [name, call] of Object.entries(CALLS)) {
    it(`${name} refuses an unknown option by name`, () => {
      let err: unknown;
      try {
        call({ chunk: 5 });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(OptionError);
      expect((err as Error).message).toMatch(new RegExp(`^${name.replace(/\./g, '\\.')}: unknown option 'chunk'`));
    });
  }
});
