/**
 * The built-in operations of @pdask/ml, importable by workers as `@pdask/ml/ops` (importing this
 * module registers them). Each operation is named once, by its key here; the rest of the package
 * refers to them only through these handles.
 */
import { defineCatalogue } from '@pdask/core';
import * as K from '../runtime/kmeans';
import * as L from '../runtime/logistic';
import * as P from '../metrics/pairwise-kernel';
import * as G from '../datasets/generate-kernel';
import * as GL from '../runtime/glm';
import * as A from '../runtime/admm';
import * as Q from '../runtime/gram';
import * as S from '../runtime/sgd';

export const mlOps = defineCatalogue('@pdask/ml/ops', {
  lloydPartial: K.lloydPartial,
  combineLloyd: K.combineLloyd,
  sampleBlock: K.sampleBlock,
  combineDraws: K.combineDraws,
  newtonPartial: L.newtonPartial,
  combineNewton: L.combineNewton,
  oversampleBlock: K.oversampleBlock,
  combineOversample: K.combineOversample,
  pairwiseBlock: P.pairwiseBlock,
  generateBlock: G.generateBlock,
  glmPartial: GL.glmPartial,
  combineGlm: GL.combineGlm,
  admmLocal: A.admmLocal,
  combineAdmm: A.combineAdmm,
  gramPartial: Q.gramPartial,
  combineGram: Q.combineGram,
  sgdBlock: S.sgdBlock,
  keepState: S.keepState,
});

// Preprocessing (encoders, PolynomialFeatures, QuantileTransformer): per-block steps.
import * as PR from '../preprocessing/runtime';

export const preprocessingOps = defineCatalogue('@pdask/ml/ops', {
  distinctPartial: PR.distinctPartial,
  distinctCombine: PR.distinctCombine,
  encodeBlock: PR.encodeBlock,
  polyBlock: PR.polyBlock,
  quantileBlock: PR.quantileBlock,
  decodeBlock: PR.decodeBlock,
});

// Randomized PCA (decomposition/randomized.ts): per-block passes over X.
import * as PCA from '../decomposition/randomized-runtime';

export const pcaOps = defineCatalogue('@pdask/ml/ops', {
  columnSums: PCA.columnSums,
  combineColumnSums: PCA.combineColumnSums,
  gramTimes: PCA.gramTimes,
  gramPart: PCA.gramPart,
  mergeGram: PCA.mergeGram,
  sumArrays: PCA.sumArrays,
  rangePart: PCA.rangePart,
  mergeRange: PCA.mergeRange,
});

// StandardScaler's transform (preprocessing/scale-runtime.ts): one loop per row block.
import * as SC from '../preprocessing/scale-runtime';

export const scalerOps = defineCatalogue('@pdask/ml/ops', {
  scaleBlock: SC.scaleBlock,
});

// Concurrent GLM evaluations on the same data in one pass (linear-model/glm-batch.ts).
import * as GB from '../runtime/glm-batch';

export const glmBatchOps = defineCatalogue('@pdask/ml/ops', {
  glmPartialMany: GB.glmPartialMany,
  combineGlmMany: GB.combineGlmMany,
});

// StandardScaler's column means and variances (preprocessing/column-moments.ts).
import * as CM from '../preprocessing/column-moments';

export const momentsOps = defineCatalogue('@pdask/ml/ops', {
  momentsPartial: CM.momentsPartial,
  momentsCombine: CM.momentsCombine,
});

// Lloyd steps without the inertia (runtime/kmeans.ts): KMeans iterations, MiniBatchKMeans.partialFit.
export const clusterOps = defineCatalogue('@pdask/ml/ops', {
  lloydStep: K.lloydStep,
});

import * as TR from '../runtime/take-rows';

// Rows of a block at given positions (runtime/take-rows.ts): MiniBatchKMeans' draws.
export const rowOps = defineCatalogue('@pdask/ml/ops', {
  takeRows: TR.takeRows,
});

// k-means++ draws over distances kept between draws (runtime/kmeans-init.ts).
import * as KI from '../runtime/kmeans-init';

export const kmeansInitOps = defineCatalogue('@pdask/ml/ops', {
  drawPlusPlus: KI.drawPlusPlus,
});
