export { trainTestSplit, type TrainTestSplitOptions } from './train-test-split';
export { KFold, type Fold, type KFoldOptions } from './kfold';
export { StratifiedKFold, type StratifiedKFoldOptions } from './stratified-kfold';
export { ShuffleSplit, type ShuffleSplitOptions } from './shuffle-split';
export type { Labels, Splitter } from './splitter';
export type { Scoring, ScoringName, ScorerFn } from './scoring';
export {
  crossValScore,
  GridSearchCV,
  logUniform,
  parameterGrid,
  randInt,
  RandomizedSearchCV,
  uniform,
  type CrossValScoreOptions,
  type CvResults,
  type Distribution,
  type ParamDistributions,
  type ParamGrid,
  type RandomizedSearchOptions,
  type SearchEstimator,
  type SearchOptions,
} from './search';
export {
  halvingSchedule,
  HyperbandSearchCV,
  SuccessiveHalvingSearchCV,
  type BracketMetadata,
  type HyperbandOptions,
  type IncrementalCvResults,
  type IncrementalSearchOptions,
  type ModelHistory,
  type SearchMetadata,
  type SuccessiveHalvingOptions,
} from './incremental-search';
