/**
 * `@pdask/ml/web-worker`: imported by the script of a page's Web Workers (see
 * `@pdask/core/web-worker`), it registers this package's operations and those of @pdask/array
 * (every estimator's graph holds array tasks) statically (a bundled worker cannot
 * import the ops modules by name at run time) and starts serving. Estimators fitted on dataframes also need
 * `@pdask/dataframe/web-worker` in the same script (dataframe is an optional peer, not imported here).
 */
import { arrayOps } from '@pdask/array/ops';
import { serveWorker } from '@pdask/core/web-worker';
import { mlOps, pcaOps, preprocessingOps, scalerOps } from './ops/index';

// Passed so a bundler keeps the catalogues, whatever it assumes about side effects.
serveWorker(arrayOps, mlOps, preprocessingOps, pcaOps, scalerOps);
