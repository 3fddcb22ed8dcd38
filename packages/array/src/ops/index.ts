/**
 * Built-in operations of @pdask/array, importable by workers as `@pdask/array/ops`: the one
 * catalogue of the package. Each property name is its operation's name; graph builders refer to
 * operations only through these handles (`arrayOps.reduceChunk.task(key, ...)`).
 */
import { defineCatalogue } from '@pdask/core';
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
import * as UR from '../runtime/user-reduce';
import * as Z from '../runtime/zarr';
import * as RT from '../runtime/routines';
import * as PW from '../runtime/pointwise';
import * as EI from '../runtime/einsum';
import * as H from '../runtime/histogram';
import * as Q from '../runtime/quantile';
import * as TK from '../runtime/topk';
import * as UQ from '../runtime/unique';
import * as BL from '../runtime/blocked-linalg';
import * as FT from '../runtime/fft';
import * as MA from '../runtime/masked';
import * as CO from '../runtime/coarsen';
import * as NPY from '../runtime/npy';
import * as ST from '../runtime/store-targets';
import { delayedBlock } from '../runtime/delayed-block';

export const arrayOps = defineCatalogue('@pdask/array/ops', {
  blockwise: L.blockwiseBlock,
  assemble: L.assemble,
  gatherPieces: L.gatherPieces,
  selectBlock: L.selectBlock,
  reshapeBlock: L.reshapeBlock,
  transposeBlock: L.transposeOp,
  astype: L.astypeBlock,
  reduceChunk: R.reduceChunk,
  reduceCombine: (fn: R.ReduceFn, ...parts: R.Partial[]): R.Partial => R.combinePartials(fn, parts),
  reduceAggregate: (spec: R.ReduceSpec, shape: number[], ...parts: R.Partial[]): Block => R.reduceAggregate(spec, shape, parts),
  addBlocks: M.addBlocks,
  matmul: (dtype: DType, nk: number, ...blocks: Block[]): Block => M.matmulBlocks(dtype, nk, ...blocks),
  cumBlock: C.cumBlock,
  cumCarry: C.cumCarry,
  cumApply: C.cumApply,
  mapBlocks: U.mapBlocksOp,
  blockwiseUser: U.blockwiseUserOp,
  mapOverlap: O.mapOverlapOp,
  fromFunctionBlock: U.fromFunctionBlock,
  qrBlock: LA.qrBlock,
  qrOfStackedR: LA.qrOfStackedR,
  qFactor: LA.qFactor,
  pick: LA.pick,
  svdSmall: LA.svdSmall,
  solveDense: LA.solveDense,
  solveUpper: LA.solveUpper,
  sfqrLead: SF.sfqrLead,
  sfqrLeadR: SF.sfqrLeadR,
  sfqrRestR: SF.sfqrRestR,
  zarrRead: Z.zarrRead,
  zarrWrite: Z.zarrWrite,
  zarrWritten: Z.zarrWritten,
  luFactor: LU.luFactor,
  luUpdate: LU.luUpdate,
  luBack: LU.luBack,
  matmulStack: M.matmulStackBlocks,
  tensordot: M.tensordotBlocks,
  maskBlock: L.maskBlock,
  blockShapeOf: L.blockShapeOf,
  userReduceChunk: UR.userReduceChunk,
  userReduceCombine: UR.userReduceCombine,
  userReduceAggregate: UR.userReduceAggregate,
  broadcastBlock: RT.broadcastBlock,
  zerosBlock: RT.zerosBlock,
  diagonalBlock: RT.diagonalBlock,
  diagMatrixBlock: RT.diagMatrixBlock,
  triBlock: RT.triBlock,
  repeatBlock: RT.repeatBlock,
  argwhereBlock: RT.argwhereBlock,
  columnBlock: RT.columnBlock,
  vindexPick: PW.vindexPick,
  vindexMerge: PW.vindexMerge,
  setBlock: PW.setBlock,
  topkChunk: TK.topkChunk,
  topkCombine: TK.topkCombine,
  topkAggregate: TK.topkAggregate,
  quantileAxis: Q.quantileAxis,
  radixCount1: Q.radixCount1,
  radixCount2: Q.radixCount2,
  radixAdd: Q.radixAdd,
  radixPlan1: Q.radixPlan1,
  radixPlan2: Q.radixPlan2,
  radixCollect: Q.radixCollect,
  radixMerge: Q.radixMerge,
  radixFinal: Q.radixFinal,
  uniqueChunk: UQ.uniqueChunk,
  uniqueCombine: UQ.uniqueCombine,
  uniqueField: UQ.uniqueField,
  uniqueInverse: UQ.uniqueInverse,
  isinBlock: UQ.isinBlock,
  histChunk: H.histChunk,
  countsAdd: H.countsAdd,
  countsBlock: H.countsBlock,
  bincountChunk: H.bincountChunk,
  bincountFinal: H.bincountFinal,
  digitizeBlock: H.digitizeBlock,
  searchChunk: H.searchChunk,
  einsumBlock: EI.einsumBlock,
  choleskyDiag: BL.choleskyDiag,
  choleskyOff: BL.choleskyOff,
  transpose2d: BL.transpose2d,
  zeroBlock: BL.zeroBlock,
  sameBlock: BL.sameBlock,
  luDiag: BL.luDiag,
  luRight: BL.luRight,
  luBelow: BL.luBelow,
  luLowerBlock: BL.luLowerBlock,
  triSolveBlock: BL.triSolveBlock,
  fftBlock: FT.fftBlock,
  assembleComplex: FT.assembleComplex,
  assembleMasked: MA.assembleMasked,
  coarsenBlock: CO.coarsenBlock,
  npyWrite: NPY.npyWrite,
  npyRead: NPY.npyRead,
  storeBlock: ST.storeBlock,
  writesDone: ST.writesDone,
  delayedBlock,
});
