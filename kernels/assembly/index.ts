// The pdask kernels module. It imports its memory (env.memory) from the host, which owns all
// allocation: kernels only read and write the pointers they are given and keep no heap of their own.
export * from './sum';
export * from './moments';
export * from './extrema';
export * from './logical';
export * from './groupby';
export * from './factorize';
export * from './elementwise';
export * from './random';
export * from './hash';
export * from './lloyd';
export * from './logistic';
export * from './qr';

/** First byte after the module's static data: the host allocates from here. */
export function heap_base(): usize { return __heap_base; }
export * from './matmul';
export * from './radix';
export * from './csv';
export * from './glm';
export * from './glm-many';
export * from './snappy';
