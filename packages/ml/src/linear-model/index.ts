export { LinearRegression, type LinearRegressionOptions } from './linear-regression';
export { LogisticRegression, type LogisticRegressionOptions } from './logistic-regression';
