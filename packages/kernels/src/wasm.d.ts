/**
 * `@pdask/kernels/kernels.wasm` and `@pdask/kernels/kernels-shared.wasm` are WebAssembly binaries,
 * not modules to import: resolve one to a URL or path (`import.meta.resolve(...)`, `require.resolve(...)`,
 * a bundler's asset or `?url` import, or a copy served next to your page as `application/wasm`)
 * and pass it to `loadKernels({ url })`.
 */
export {};
