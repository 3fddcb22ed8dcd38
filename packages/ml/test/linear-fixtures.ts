/** The linear models' scikit-learn 1.2 fixtures (fixtures/make_linear_more.py -> linear_more.json). */
import { readFileSync } from 'node:fs';

type M = number[][];
type V = number[];

export interface LogisticCase {
  coef: M;
  intercept: V;
  classes: (number | string)[];
  proba: M;
  predict: (number | string)[];
  score: number;
}
export interface RegCase {
  coef: V;
  intercept: number;
  predict: V;
  score: number;
}

export interface LinearFixtures {
  iris: { X: M; y: V; yNames: string[] };
  wine: { X: M; y: V; sampleWeight: V };
  cancer: { X: M; y: V };
  diabetes: { X: M; Xstd: M; y: V };
  logistic: Record<string, LogisticCase> & { irisDefault: { predict: V; score: number; coef: M; nIter: number } };
  poisson: Record<'alpha1' | 'alpha001' | 'noIntercept', RegCase>;
  ridge: Record<'alpha1' | 'alpha01' | 'noIntercept', RegCase> & { sampleWeight: { coef: V; intercept: number; sampleWeight: V } };
  lasso: Record<'alpha01' | 'alpha1' | 'noIntercept', RegCase>;
  elasticnet: Record<'a01r05' | 'a001r09', RegCase>;
  sgd: Record<'irisHinge' | 'cancerLogL1' | 'wineModHuberEnetBalanced' | 'diabetes' | 'diabetesEnetSw' | 'irisShuffled' | 'diabetesShuffled', SgdCase> &
    Record<'diabetesPartial2' | 'irisPartial', { coef: M | V; intercept: V; t: number }>;
}
export interface SgdCase {
  coef: M | V;
  intercept: V;
  nIter: number;
  t: number;
  score: number;
}

export const lx = JSON.parse(readFileSync(new URL('./fixtures/linear_more.json', import.meta.url), 'utf8')) as LinearFixtures;
