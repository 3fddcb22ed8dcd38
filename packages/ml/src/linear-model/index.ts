export { LinearRegression, type LinearRegressionOptions } from './linear-regression';
export { LogisticRegression, type LogisticRegressionOptions, type LogisticFitOptions, type LogisticPenalty } from './logistic-regression';
export type { Label, LabelData } from './labels';
export type { GlmSolver } from './glm-solve';
export { Ridge, type RidgeOptions } from './ridge';
export { ElasticNet, Lasso, type ElasticNetOptions, type LassoOptions } from './elastic-net';
export { PoissonRegression, type PoissonRegressionOptions } from './poisson-regression';
export type { RegressorFitOptions } from './regressor';
export { SGDClassifier, SGDRegressor, type SgdClassifierOptions, type SgdRegressorOptions, type SgdFitOptions, type SgdPartialFitOptions } from './sgd';
