export { ownerIndex, owners, outputsByOwner } from './assign';
export { p2pShuffleTasks, shuffleTaskInfo, transferKey, barrierKey, unpackKey, anchorKey, type P2PShuffleSpec, type P2PShuffleTasks, type ShuffleTaskInfo, type TransferSpec } from './tasks';
export { PieceStore, type PieceStoreOptions, type SpillTarget } from './pieces';
export { installShuffleRuntime, shuffleRuntime, type ShuffleRuntime } from './runtime';
