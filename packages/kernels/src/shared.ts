/**
 * `import '@pdask/kernels/shared'`: inlines the shared-memory build of the kernels (19 KB: deflated, base64)
 * and registers it, so that `loadKernelsSync({ memory: createSharedMemory() })` works in browsers
 * and bundles, and nothing is fetched or read for it. The main entry does not carry this build: in
 * Node it reads `generated/kernels-shared.wasm` from the package, and `await loadKernels({ memory })`
 * fetches it in browsers.
 */
import { KERNELS_SHARED_WASM_DEFLATED } from './generated/kernels-shared-wasm.js';
import { registerSharedBuild } from './shared-build.js';

registerSharedBuild(KERNELS_SHARED_WASM_DEFLATED);

/** True once this module has run: the shared build is registered. */
export const sharedBuildRegistered: boolean = true;
