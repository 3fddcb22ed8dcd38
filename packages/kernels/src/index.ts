export { Kernels, loadKernels, loadKernelsSync, type ArgOptions, type VarOptions } from './kernels.js';
export {
  createSharedMemory,
  KernelsLoadError,
  SharedMemoryError,
  sharedMemoryId,
  type LoadKernelsOptions,
  type LoadOptions,
  type SharedMemoryOptions,
} from './load.js';
export { OptionError } from './options.js';
export { KernelArray, StaleViewError } from './memory.js';
export {
  EMPTY_MOMENTS,
  mergeArgmax,
  mergeArgmin,
  mergeMax,
  mergeMin,
  mergeMoments,
  mergeNanmax,
  mergeNanmin,
  momentsMean,
  momentsStd,
  momentsVar,
  type ArgExtremum,
  type Moments,
} from './partials.js';
export type { Input } from './runtime.js';
export type { BinaryOp } from './elementwise.js';
export type { KernelArrayConstructor, KernelsMemory, KernelTypedArray, NumericArray, RealArray, ValueArray, ViewConstructor } from './types.js';
export { mergeLloyd, type LloydOptions, type LloydPartial } from './lloyd.js';
export type { ClosestOptions } from './closest.js';
export type { QROptions, QRResult } from './qr.js';
export type { MatmulArray, MatmulOptions } from './matmul.js';
export { LabelError, mergeNewton, type NewtonOptions, type NewtonPartial } from './logistic.js';
export { finalizeGroupBy, type FinalizeOptions, type GroupAgg, type GroupByOptions, type GroupByPartial } from './groupby.js';
export { Int32Factorizer, Utf8Factorizer, type StringColumn, type Validity } from './factorize.js';
export type { ArrowDataLike, ArrowVectorLike } from './arrow.js';
export type { CsvFieldKind, CsvScanOptions, CsvScanResult, CsvStrings } from './csv.js';
export { GlmRowError, type GlmGradient, type GlmGradientOptions } from './glm.js';
export { glmBinomialMany, type GlmBinomialManyOptions, type GlmManyGradient } from './glm-many.js';
export type { HashPiece } from './hash.js';
