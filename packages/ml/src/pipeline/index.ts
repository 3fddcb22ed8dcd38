export { makePipeline, Pipeline, type PipelineOptions, type PipelineStep } from './pipeline';
export { ColumnTransformer, type ColumnSelection, type ColumnStep, type ColumnTransformerOptions } from './column-transformer';
export { Incremental, ParallelPostFit, type IncrementalFitOptions, type IncrementalOptions, type ParallelPostFitOptions } from './wrappers';
