/**
 * @pdask/core — task graphs, delayed, tokenize, optimisation, ordering, the scheduling state
 * machine, local executors ('sync', 'threads'), visualisation and configuration.
 */
export { delayed, Delayed, type DelayedFunction, type DelayedOptions, type Lazy, type LazyArgs } from './delayed/delayed';
export {
  compute,
  computeCollections,
  computeKeys,
  collectionsToGraph,
  persist,
  releasePersisted,
  resolveExecutor,
  checkComputeOptions,
  COMPUTE_OPTION_NAMES,
  type ComputeOptions,
  type Computed,
  registerCollectionsPlanner,
  type CollectionsPlanner,
} from './collection/compute';
export { collectionSymbol, isCollection, type Collection, type CollectionGraph, type Finalizer, type ResultOf } from './collection/protocol';
export { CollectionBase, SingleKeyCollection, dataLayer } from './collection/base';
export { checkMemory, availableMemory, formatBytes, MemoryLimitError } from './collection/memory';
export { checkOptions, optional, intAtLeast, nearestName, OptionError, type OptionRule, type OptionSchema } from './options/options';
export { visualize, renderSvg, RendererMissingError, type VisualizeOptions } from './visualize/visualize';
export { toDot, type DotOptions } from './visualize/dot';
export { tokenize, tokenizeSymbol, type Tokenizable } from './tokenize/tokenize';
export * as config from './config/config';
export { parseBytes } from './config/bytes';
export { fitsInline, type InlineWeight } from './collection/inline';

// Graph model
export * from './graph/spec';
export { HighLevelGraph, MaterializedLayer, GeneratedLayer, LayerNode, forEachLayer, layerNode, materialize, type Layer, type LayerInfo } from './graph/high-level';
export { treeReduce, splitEveryFor, SPLIT_EVERY, type TreeReduceSpec, type TreeReduction, type TreeContext, type CollectionKind } from './graph/tree-reduce';
export { toArgSpec } from './graph/args';
export { cull, cullIndexed } from './graph/cull';
export { fuseLinear, fuseLinearIndexed } from './graph/fuse';
export { inlineDataIndexed } from './graph/inline';
export { IndexedGraph } from './graph/indexed';
export { order, orderIndexed } from './order/order';

// Operations
export {
  defineCatalogue,
  fromModule,
  resolveOp,
  resolveOpSync,
  isModuleFunction,
  isOp,
  UnknownOperationError,
  type Catalogue,
  type ModuleFunction,
  type ModuleRef,
  type Op,
  type OpArgs,
  type OpCall,
  type OpFunction,
} from './ops/registry';
export { coreOps } from './ops/index';
export { toOpRef, capturedNames, UnshippableFunctionError } from './ops/shippable';

// Scheduling core
export { SchedulerState, type GraphUpdate, type SchedulerStateOptions } from './schedule/state';
export { TaskState, WorkerState, type TaskStatus, type WorkerId } from './schedule/task-state';
export type { Instruction } from './schedule/instructions';
export { LocalityPolicy, OneAtATimePolicy, type PlacementPolicy, type LocalityPolicyOptions } from './schedule/placement';
export { KilledWorkerError } from './schedule/errors';
export { StoryLog, type StoryEntry, type StoryStatus, type StoryCause, type StoryLogOptions } from './schedule/story';
export { InvalidStateError } from './schedule/validate';

// Execution
export { registerExecutor, unregisterExecutor, getExecutor, executorNames, validateStateRequested, type Executor, type ExecuteRequest, type ExecutorOptions } from './execute/executor';
export { SyncExecutor } from './execute/sync';
export { story, type StoryOptions, type StoryTeller } from './execute/story';
export { ThreadsExecutor, sharedThreadsExecutor, closeThreadPools } from './execute/threads/executor';
export { ThreadPool, type PoolOptions } from './execute/threads/pool';
export { ObservedStoryLog, type PoolObserver, type ObservedNode, type TransitionObserver } from './execute/threads/observe';
export { ResidentValue, PersistedDataLostError, type Lineage } from './execute/threads/resident';
export { runNode, prepareOps, isPromiseLike, TaskFailure } from './execute/run-node';
export { serializeError, deserializeError, taskKeyOf, withTaskKey, TaskTimeoutError, type SerializedError } from './execute/errors';
export { OpInterner, encodeNode, decodeNode, fusedMemberKey, type EncodedNode } from './execute/threads/wire';
export { sizeOf } from './execute/sizeof';
export { transferablesOf } from './execute/transfer';
export { progressBar } from './progress/progress';
export { progress, isProgressReporter, type ProgressReporter, type ProgressOptions, type ProgressUpdate } from './progress/reporter';
export { domProgress, progressText, type DomProgressOptions, type ProgressHost, type ProgressHostChild } from './progress/dom';
export * from './shuffle/index';
export { FileSpill, type PieceFileCodec } from './execute/threads/shuffle-spill';
export { setWorkerSource } from './execute/threads/worker-source';
export { NoWorkerSourceError } from './execute/threads/web-init';
export type { ThreadsMode, PlatformName, WorkerSource, WebWorkerLike } from './execute/threads/platform';
export { NodeOnlyError, nodeBuiltin, hasNodeBuiltins, lazyBuiltin, processId, nativeBytesEqual, type BytesEqual } from './platform/node-builtins';
