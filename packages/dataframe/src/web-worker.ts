/**
 * `@pdask/dataframe/web-worker`: imported by the script of a page's Web Workers (see
 * `@pdask/core/web-worker`), it registers this package's operations statically (a bundled worker
 * cannot import the package's ops module by name at run time) and starts serving. Import several collections'
 * worker modules in one script to run all their operations (`@pdask/array/web-worker` too when
 * frames are turned into arrays); serving starts once.
 */
import { serveWorker } from '@pdask/core/web-worker';
import { dataframeOps } from './ops/index';

// Passed so a bundler keeps the catalogue, whatever it assumes about side effects.
serveWorker(dataframeOps);
