/** The selection.json fixture (make_selection.py, scikit-learn 1.2.1). */
import { readFileSync } from 'node:fs';

type M = number[][];
type V = number[];
interface FoldFx {
  train: V;
  test: V;
}

export interface SelectionFixtures {
  versions: { sklearn: string; numpy: string };
  grid: {
    X: M;
    y: V;
    Cs: V;
    meanTestScore: V;
    stdTestScore: V;
    rankTestScore: V;
    splitTestScores: M;
    bestC: number;
    bestScore: number;
    bestCoef: V;
    crossValScore: V;
  };
  folds: {
    kfold: { n: number; k: number; folds: FoldFx[] }[];
    stratified: { y: V; k: number; folds: FoldFx[] }[];
    stratifiedStrings: { y: string[]; k: number; folds: FoldFx[] };
  };
  metrics: Record<string, number | V | M>;
}

export const sx = JSON.parse(readFileSync(new URL('./fixtures/selection.json', import.meta.url), 'utf8')) as SelectionFixtures;
