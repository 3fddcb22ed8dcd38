/**
 * Built-in operations of @pdask/array, importable by workers as `@pdask/array/ops`. Each export
 * is named as its operation (workers look operations up by export name) and registered with
 * defineOp, so the calling thread resolves it without an import.
 */
import { defineOp } from '@pdask/core';
import type { DType } from '../dtype';
import type { Block } from '../runtime/block';
import * as C from '../runtime/cumulative';
import * as L from '../runtime/layout';
import * as LA from '../runtime/linalg';
import * as M from '../runtime/matmul';
import * as O from '../runtime/overlap';
import * as R from '../runtime/reduce';
import * as LU from '../runtime/lu';
import * as SF from '../runtime/sfqr';
import * as U from '../runtime/user';
import * as Z from '../runtime/zarr';
import { ARRAY_OPS } from './names';

const op = defineOp;

export const blockwise = op(ARRAY_OPS, 'blockwise', L.blockwiseBlock);
export const assemble = op(ARRAY_OPS, 'assemble', L.assemble);
export const gatherPieces = op(ARRAY_OPS, 'gatherPieces', L.gatherPieces);
export const selectBlock = op(ARRAY_OPS, 'selectBlock', L.selectBlock);
export const reshapeBlock = op(ARRAY_OPS, 'reshapeBlock', L.reshapeBlock);
export const transposeBlock = op(ARRAY_OPS, 'transposeBlock', L.transposeOp);
export const astype = op(ARRAY_OPS, 'astype', L.astypeBlock);
export const reduceChunk = op(ARRAY_OPS, 'reduceChunk', R.reduceChunk);
export const reduceCombine = op(ARRAY_OPS, 'reduceCombine', (fn: R.ReduceFn, ...parts: R.Partial[]): R.Partial => R.combinePartials(fn, parts));
export const reduceAggregate = op(ARRAY_OPS, 'reduceAggregate', (spec: R.ReduceSpec, shape: number[], ...parts: R.Partial[]): Block => R.reduceAggregate(spec, shape, parts));
export const addBlocks = op(ARRAY_OPS, 'addBlocks', M.addBlocks);
export const matmul = op(ARRAY_OPS, 'matmul', (dtype: DType, nk: number, ...blocks: Block[]): Block => M.matmulBlocks(dtype, nk, ...blocks));
export const cumBlock = op(ARRAY_OPS, 'cumBlock', C.cumBlock);
export const cumCarry = op(ARRAY_OPS, 'cumCarry', C.cumCarry);
export const cumApply = op(ARRAY_OPS, 'cumApply', C.cumApply);
export const mapBlocks = op(ARRAY_OPS, 'mapBlocks', U.mapBlocksOp);
export const blockwiseUser = op(ARRAY_OPS, 'blockwiseUser', U.blockwiseUserOp);
export const mapOverlap = op(ARRAY_OPS, 'mapOverlap', O.mapOverlapOp);
export const fromFunctionBlock = op(ARRAY_OPS, 'fromFunctionBlock', U.fromFunctionBlock);
export const qrBlock = op(ARRAY_OPS, 'qrBlock', LA.qrBlock);
export const qrOfStackedR = op(ARRAY_OPS, 'qrOfStackedR', LA.qrOfStackedR);
export const qFactor = op(ARRAY_OPS, 'qFactor', LA.qFactor);
export const pick = op(ARRAY_OPS, 'pick', LA.pick);
export const svdSmall = op(ARRAY_OPS, 'svdSmall', LA.svdSmall);
export const solveDense = op(ARRAY_OPS, 'solveDense', LA.solveDense);
export const solveUpper = op(ARRAY_OPS, 'solveUpper', LA.solveUpper);
export const sfqrLead = op(ARRAY_OPS, 'sfqrLead', SF.sfqrLead);
export const sfqrLeadR = op(ARRAY_OPS, 'sfqrLeadR', SF.sfqrLeadR);
export const sfqrRestR = op(ARRAY_OPS, 'sfqrRestR', SF.sfqrRestR);
export const zarrRead = op(ARRAY_OPS, 'zarrRead', Z.zarrRead);
export const zarrWrite = op(ARRAY_OPS, 'zarrWrite', Z.zarrWrite);
export const zarrWritten = op(ARRAY_OPS, 'zarrWritten', Z.zarrWritten);
export const luFactor = op(ARRAY_OPS, 'luFactor', LU.luFactor);
export const luUpdate = op(ARRAY_OPS, 'luUpdate', LU.luUpdate);
export const luBack = op(ARRAY_OPS, 'luBack', LU.luBack);
export const matmulStack = op(ARRAY_OPS, 'matmulStack', M.matmulStackBlocks);
export const tensordot = op(ARRAY_OPS, 'tensordot', M.tensordotBlocks);
export const maskBlock = op(ARRAY_OPS, 'maskBlock', L.maskBlock);
export const blockShapeOf = op(ARRAY_OPS, 'blockShapeOf', L.blockShapeOf);
