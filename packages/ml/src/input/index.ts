export { toFeatures, toTarget, defaultNames, inputNames, checkNames, frameToArray, seriesToArray, type Features, type FeaturesInput, type TargetInput } from './features';
export { isFrame, isSeries, columnKind, type FrameLike, type SeriesLike, type LocalSeriesLike, type ColumnKind } from './frame-like';
