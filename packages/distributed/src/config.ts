import { config } from '@pdask/core';

let done = false;

/**
 * Registers the configuration keys of @pdask/distributed (override with config.set or PDASK_*
 * variables). Called explicitly by each entry point: a bare side-effect import could be dropped
 * by bundlers honouring `sideEffects: false`.
 */
export function registerDistributedConfig(): void {
  if (done) return;
  done = true;
  config.addDefaults({
    'distributed.scheduler.worker-ttl': 300_000,
    'distributed.scheduler.target-batch-ms': 10,
    // Results up to this size that will be held a while get a second copy on the oldest other
    // worker, so that one worker's death loses none of them (0: no copies).
    'distributed.scheduler.replicate-bytes': 65_536,
    // Origins of web pages whose browser clients may connect (scheme://host[:port]); none by default.
    'distributed.scheduler.allowed-origins': [],
    'distributed.worker.heartbeat-ms': 1000,
    'distributed.worker.memory.target': 0.6,
    'distributed.worker.memory.spill': 0.7,
    'distributed.worker.memory.pause': 0.8,
    'distributed.worker.memory.terminate': 0.95,
    'distributed.comm.timeouts.connect-ms': 30_000,
    // A client connecting to a scheduler in its own process (a LocalCluster's) links to it in
    // memory rather than over loopback TCP (messages are encoded all the same).
    'distributed.comm.in-process': true,
    // A LocalCluster's scheduler also listens on a unix socket, which its worker processes use:
    // a round trip over it costs less than over loopback TCP (README, session 11).
    'distributed.comm.local-socket': true,
    // A peer that stops answering (hung, not dead) must not stall its readers forever.
    'distributed.comm.timeouts.request-ms': 30_000,
    // Fetches of big values get longer: request-ms plus their bytes at this many bytes per second.
    'distributed.comm.timeouts.min-bandwidth': 10e6,
    // A nanny kills a worker whose event loop has not ticked for this long (0: never).
    'distributed.nanny.liveness-timeout-ms': 300_000,
  });
}
