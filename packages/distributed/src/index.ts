/**
 * @pdask/distributed — a network scheduler driving core's state machine, workers under nannies,
 * a client with futures, LocalCluster and SlurmCluster, and the pdask-scheduler / pdask-worker CLIs.
 */
import { registerDistributedConfig } from './config';

registerDistributedConfig();

export { Client, type ClientOptions, type SubmitOptions } from './client/client';
export { Future, CancelledError, isFuture, type FutureStatus } from './client/future';
export { asCompleted, wait, progress, type WaitOptions } from './client/waiting';
export { Scheduler, type SchedulerOptions } from './scheduler/scheduler';
export { ClusterPolicy, type TaskRestriction } from './scheduler/policy';
export { readSchedulerFile, writeSchedulerFile, SchedulerFileError, type SchedulerFileContent } from './scheduler/scheduler-file';
export { Worker, type WorkerOptions } from './worker/worker';
export { DataStore } from './worker/store';
export { Nanny, type NannyOptions } from './nanny/nanny';
export { LocalCluster, type LocalClusterOptions } from './cluster/local';
export { SlurmCluster, type SlurmClusterOptions } from './cluster/slurm';
export { parseAddress, formatAddress } from './comm/address';
export { ConnectionRefusedError } from './comm/transport';
export { TlsCertificateError } from './comm/security';
/** Core's: also raised here when a task runs past its `timeoutMs`. */
export { TaskTimeoutError } from '@pdask/core';
export { parseMemoryLimit, parseResources } from './cli/parse';
export { parseDuration } from './cli/duration';
export { SchedulerUnreachableError } from './comm/reach';
export type { WorkerInfo, WorkerMetrics } from './protocol/messages';
export { encode as encodeValue, decode as decodeValue } from './protocol/codec';
export { performanceReport, type PerformanceReportOptions } from './dashboard/report';
export { setDefaultFrameSource, defaultFrameSource, type FrameSource, type FrameListener } from './dashboard/frame-source';
export { startDashboard, type StartDashboardOptions, type LocalDashboard } from './dashboard/start-dashboard';
export { keySplit } from './dashboard/key-split';
export type * as dashboardProtocol from './dashboard/protocol';
