import type { Workload } from '../harness.js';
import { arrayWorkloads } from './array.js';
import { bagWorkloads } from './bag.js';
import { browserWorkloads } from './browser.js';
import { coreWorkloads } from './core.js';
import { dataframeWorkloads } from './dataframe.js';
import { dataframeCsvWorkloads } from './dataframe-csv.js';
import { dataframeEngineWorkloads } from './dataframe-engine.js';
import { distributedWorkloads } from './distributed.js';
import { kernelWorkloads } from './kernels.js';
import { mlWorkloads } from './ml.js';
import { statsWorkloads } from './stats.js';

/** Every workload, in the order `npm run bench` runs them. Each package adds its own file here. */
export const allWorkloads: Workload[] = [...coreWorkloads, ...kernelWorkloads, ...arrayWorkloads, ...bagWorkloads, ...dataframeWorkloads, ...dataframeCsvWorkloads, ...dataframeEngineWorkloads, ...mlWorkloads, ...distributedWorkloads, ...statsWorkloads, ...browserWorkloads];
