export { accuracyScore } from './classification';
export { meanAbsoluteError, meanSquaredError, r2Score } from './regression';
export { confusionMatrix, f1Score, precisionScore, recallScore, type Average, type ConfusionMatrixOptions, type PrecisionRecallOptions } from './confusion';
export { logLoss, rocAucScore, type LogLossOptions } from './probabilistic';
export { euclideanDistances, pairwiseDistances, type EuclideanDistancesOptions, type PairwiseDistancesOptions, type PairwiseMetric } from './pairwise';
