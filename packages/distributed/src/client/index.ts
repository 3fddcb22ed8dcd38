/**
 * `@pdask/distributed/client`: the client alone, without the scheduler, workers, nannies, clusters
 * and CLIs (and their Node built-ins). In a browser bundle (the `browser` condition) it connects
 * with the page's WebSocket: `await Client.connect('wss://host:port', { token })`; the scheduler
 * must allow the page's origin (`pdask-scheduler --allowed-origin`). In Node it is the same Client
 * as the main entry's.
 */
import { registerDistributedConfig } from '../config';

registerDistributedConfig();

export { Client, type ClientOptions, type SubmitOptions } from './client';
export { Future, CancelledError, isFuture, type FutureStatus } from './future';
export { asCompleted, wait, progress, type WaitOptions } from './waiting';
export { ConnectionRefusedError } from '../comm/refused';
export { parseAddress, formatAddress } from '../comm/address';
export type { WorkerInfo, WorkerMetrics } from '../protocol/messages';
