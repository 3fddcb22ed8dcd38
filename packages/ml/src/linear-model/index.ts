export { LinearRegression, type LinearRegressionOptions } from './linear-regression';
export { LogisticRegression, type LogisticRegressionOptions, type LogisticFitOptions, type LogisticPenalty } from './logistic-regression';
export type { Label, LabelData } from './labels';
export type { GlmSolver } from './glm-solve';
