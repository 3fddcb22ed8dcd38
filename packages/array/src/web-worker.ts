/**
 * `@pdask/array/web-worker`: imported by the script of a page's Web Workers (see
 * `@pdask/core/web-worker`), it registers this package's operations statically (a bundled worker
 * cannot import the package's ops module by name at run time) and starts serving. Import several collections'
 * worker modules in one script to run all their operations; serving starts once.
 */
import { serveWorker } from '@pdask/core/web-worker';
// The kernels' shared-memory build: blocks in a cross-origin isolated page's SharedArrayBuffers are
// reduced in place (without it every block is copied into the kernels' own memory first).
import '@pdask/kernels/shared';
import { arrayOps } from './ops/index';

// Passed so a bundler keeps the catalogue, whatever it assumes about side effects.
serveWorker(arrayOps);
