/**
 * Built-in operations of @pdask/ml, importable by workers as `@pdask/ml/ops`. Each export is
 * named as its operation (workers look operations up by export name) and registered with
 * defineOp, so the calling thread resolves it without an import.
 */
import { defineOp } from '@pdask/core';
import * as K from '../runtime/kmeans';
import * as L from '../runtime/logistic';
import { ML_OPS } from './names';

export { ML_OPS } from './names';
export const lloydPartial = defineOp(ML_OPS, 'lloydPartial', K.lloydPartial);
export const combineLloyd = defineOp(ML_OPS, 'combineLloyd', K.combineLloyd);
export const sampleBlock = defineOp(ML_OPS, 'sampleBlock', K.sampleBlock);
export const combineDraws = defineOp(ML_OPS, 'combineDraws', K.combineDraws);
export const newtonPartial = defineOp(ML_OPS, 'newtonPartial', L.newtonPartial);
export const combineNewton = defineOp(ML_OPS, 'combineNewton', L.combineNewton);
