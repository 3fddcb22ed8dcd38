/** `da.fft`: NumPy's discrete Fourier transforms along unchunked axes (Dask's fft wrappers). */
export {
  fft, ifft, rfft, irfft, hfft, ihfft, fft2, ifft2, rfft2, irfft2, fftn, ifftn, rfftn, irfftn,
  fftfreq, rfftfreq, fftshift, ifftshift,
  type FftInput, type FftNorm, type FftOptions, type FftNOptions, type FreqOptions, type ShiftOptions,
} from './fft';
export { ComplexArray, complex } from './complex';
export { ComplexNDArray } from './complex-ndarray';
