/**
 * @pdask/ml — scalable machine learning on @pdask/array (Dask-ML for TypeScript). Rows are
 * samples and row blocks are the partition: fitting runs tree reductions over the blocks, and
 * predict/transform are lazy arrays with the row blocks of their input.
 *
 *   import * as da from '@pdask/array';
 *   import { KMeans } from '@pdask/ml';
 *   const km = await new KMeans({ nClusters: 3, seed: 0 }).fit(da.random.random([100_000, 4], { chunks: [25_000, 4] }));
 *   km.clusterCenters;           // NDArray 3 x 4
 */
import './ops/index';

export * as preprocessing from './preprocessing/index';
export * as modelSelection from './model-selection/index';
export * as linearModel from './linear-model/index';
export * as cluster from './cluster/index';
export * as decomposition from './decomposition/index';
export * as metrics from './metrics/index';

export * from './preprocessing/index';
export * from './model-selection/index';
export * from './linear-model/index';
export * from './cluster/index';
export * from './decomposition/index';
export * from './metrics/index';
export { NotFittedError, type Data } from './validate';
export * as input from './input/index';
export type { FeaturesInput, TargetInput, Features, FrameLike, SeriesLike } from './input/index';
export * as base from './base/index';
export * as pipeline from './pipeline/index';
export * from './base/index';
export * from './pipeline/index';
export * as datasets from './datasets/index';
export * from './datasets/index';
