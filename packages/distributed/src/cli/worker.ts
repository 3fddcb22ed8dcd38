/**
 * pdask-worker: starts a nanny that runs and supervises `--nworkers` worker processes connected to
 * a scheduler (found through `--scheduler-file`, or given as an address); with `--no-nanny`, this
 * process is the worker. The options are dask-worker's (Dask 2022.12), minus the dashboard.
 */
import { Command, Option } from 'commander';
import { isWildcardHost, reachableHost, type Protocol } from '../comm/address';
import { resolvePreload } from '../preload';
import { interfaceHost, listenAddressArg, protocolArg, type ListenAddress } from './network';
import {
  durationArg,
  memoryLimitArg,
  parseMemoryLimit,
  parseResources,
  positiveInt,
  portRange,
  resourcesArg,
  tlsFiles,
  withCommonOptions,
  type CommonOptions,
  type PortRange,
} from './parse';
import { writePidFile } from './pid-file';
import { listenForStopSignals } from './stop-signals';
import { packageVersion } from './version';

const program = new Command('pdask-worker')
  .description('Start pdask worker processes (under a nanny that restarts them) and connect them to a scheduler.')
  .version(`pdask-worker, version ${packageVersion()}`, '--version', 'print the version and exit')
  .argument('[scheduler]', 'scheduler address, tcp://host:port (needs --token or PDASK_TOKEN); or use --scheduler-file')
  .option('--scheduler-file <path>', 'read the scheduler address and token from this file (waits for it to appear)')
  .option('--nthreads <n>', 'tasks in flight per worker process', positiveInt, 1)
  .option('--nworkers <n>', 'worker processes to start (default: 1)', positiveInt)
  .option('--nprocs <n>', 'deprecated: the old name of --nworkers (as in Dask)', positiveInt)
  .option('--memory-limit <size>', 'per worker: 0 (none), auto, 0.5 (fraction of RAM), 4GB, 512MiB', memoryLimitArg, 'auto')
  .option('--name <name>', 'worker name (suffixed -0, -1, ... with several workers)')
  .option('--local-directory <dir>', 'where workers spill results to disk (default: the system temp directory)')
  .addOption(new Option('--death-timeout <duration>', 'give up if no scheduler answers for this long (e.g. 60, 60s, 5m)').argParser(durationArg).default(60_000, '60s'))
  .option('--resources <spec>', 'abstract resources of each worker, e.g. "GPU=2 MEM=10e9"', resourcesArg)
  .option('--host <host>', 'address the workers listen on for peers and clients (default 127.0.0.1)')
  .option('--interface <name>', "listen on this network interface's address, like eth0 or ib0 (instead of --host)")
  .option('--protocol <protocol>', 'tcp (default), tls (default with --tls-cert), ws or wss: pdask speaks WebSocket over TCP or TLS', protocolArg)
  .option('--worker-port <port>', 'port each worker listens on (default: any free one); FIRST:LAST gives a range, one port per worker', portRange)
  .option('--nanny-port <port>', 'port the nanny listens on for tools (default: it does not listen); FIRST:LAST takes the first free one', portRange)
  .option('--listen-address <address>', 'where the worker binds, like tcp://127.0.0.1:9000 (one worker; instead of --host/--worker-port)', listenAddressArg)
  .option('--contact-address <address>', 'the address the worker publishes to the scheduler and peers, like tcp://10.0.0.5:9000 (needs --listen-address)', listenAddressArg)
  .option('--no-nanny', 'run the worker in this process, without a nanny to restart it (one worker)')
  .option('--lifetime <duration>', 'close each worker gracefully after this long (e.g. 1h)', durationArg)
  .addOption(new Option('--lifetime-stagger <duration>', 'spread lifetimes by up to ± this much, so that workers do not all leave at once').argParser(durationArg).default(0, '0s'))
  .option('--lifetime-restart', 'start a fresh worker when one reaches its lifetime (needs the nanny)', false)
  .addOption(
    new Option('--preload <module>', 'module each worker imports at start-up, a path or a package; its pdaskSetup(worker) runs before it connects (repeatable)')
      .argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]),
  )
  .option('--pid-file <path>', 'write the process id here (removed at exit)')
  .option('--token <token>', 'authentication token when connecting by address (also PDASK_TOKEN)');
withCommonOptions(program);

program.parse();
const o = program.opts<
  {
    schedulerFile?: string;
    nthreads: number;
    nworkers?: number;
    nprocs?: number;
    memoryLimit: string;
    name?: string;
    localDirectory?: string;
    deathTimeout: number;
    resources?: string;
    host?: string;
    interface?: string;
    protocol?: Protocol;
    workerPort?: PortRange;
    nannyPort?: PortRange;
    listenAddress?: ListenAddress;
    contactAddress?: ListenAddress;
    nanny: boolean;
    lifetime?: number;
    lifetimeStagger: number;
    lifetimeRestart: boolean;
    preload?: string[];
    pidFile?: string;
    token?: string;
  } & CommonOptions
>();
const address = program.args[0];

// Combinations Dask refuses, refused the same way: one line, before anything starts.
const fail = (msg: string): never => program.error(`error: ${msg}`);
if (!address && !o.schedulerFile) fail('give a scheduler address (tcp://host:port) or --scheduler-file');
if (address && o.schedulerFile) fail('give either a scheduler address or --scheduler-file, not both');
if (o.nworkers !== undefined && o.nprocs !== undefined) fail('give --nworkers only (--nprocs is its deprecated old name)');
const nworkers = o.nworkers ?? o.nprocs ?? 1;
if (!o.nanny && nworkers > 1) fail('--no-nanny runs one worker in this process: it cannot be used with --nworkers above 1');
if (!o.nanny && o.nannyPort) fail('--nanny-port needs the nanny: drop --no-nanny');
if (!o.nanny && o.lifetimeRestart) fail('--lifetime-restart needs the nanny to start the new worker: drop --no-nanny');
if (o.lifetimeRestart && o.lifetime === undefined) fail('--lifetime-restart needs --lifetime');
if (o.host !== undefined && o.interface !== undefined) fail('give --host or --interface, not both');
if (o.contactAddress && !o.listenAddress) fail('--contact-address needs --listen-address');
if (o.listenAddress && nworkers > 1) fail('--listen-address binds one worker: it cannot be used with --nworkers above 1');
if (o.listenAddress && (o.workerPort || o.host !== undefined || o.interface !== undefined)) fail('give --listen-address, or --host/--interface and --worker-port, not both');
if (o.listenAddress && o.protocol && o.protocol !== o.listenAddress.protocol) fail(`--protocol ${o.protocol} disagrees with --listen-address ${o.listenAddress.protocol}://...`);
if (o.contactAddress && o.contactAddress.port === 0) fail('--contact-address needs a real port, not 0');
if (o.workerPort && o.workerPort.last - o.workerPort.first + 1 < nworkers) {
  const { first, last } = o.workerPort;
  fail(`--worker-port ${first === last ? first : `${first}:${last}`} has ${last - first + 1} port(s) for ${nworkers} workers: give a range FIRST:LAST`);
}

const log = (l: string): void => {
  if (!o.quiet) console.error(`[pdask-worker] ${l}`);
};

const signals = listenForStopSignals(log);
// Until a worker or nanny exists there is nothing to close, and finding the scheduler may wait for
// the whole death timeout: a signal then ends the process at once (exit handlers remove the pid file).
signals.attach(() => process.exit(0));
try {
  if (o.pidFile) writePidFile(o.pidFile);
  if (o.nprocs !== undefined) log('--nprocs is deprecated: use --nworkers');
  const tls = tlsFiles(o);
  const host = o.listenAddress?.host ?? (o.interface !== undefined ? interfaceHost(o.interface) : (o.host ?? '127.0.0.1'));
  if (isWildcardHost(host) && !o.contactAddress) {
    const r = reachableHost();
    log(
      `Warning: --host ${host} listens on every network interface of this machine; workers publish ${r.host} (${r.iface}).` +
        ' Give --host, --interface or --contact-address the address the scheduler, peers and clients use.',
    );
  }
  const protocol = o.listenAddress?.protocol ?? o.protocol;
  const contactAddress = o.contactAddress && `${o.contactAddress.protocol}://${o.contactAddress.host.includes(':') ? `[${o.contactAddress.host}]` : o.contactAddress.host}:${o.contactAddress.port}`;
  const workerPorts: [number, number] | undefined = o.listenAddress ? [o.listenAddress.port, o.listenAddress.port] : o.workerPort && [o.workerPort.first, o.workerPort.last];
  const preload = o.preload?.map((p) => resolvePreload(p));
  const memoryLimit = parseMemoryLimit(o.memoryLimit, nworkers);
  const resources = parseResources(o.resources);
  const token = o.token ?? process.env.PDASK_TOKEN;
  // What every worker gets, whether a nanny starts it or this process becomes it.
  const common = {
    tls,
    nthreads: o.nthreads,
    memoryLimit,
    name: o.name,
    localDirectory: o.localDirectory,
    resources,
    host,
    protocol,
    contactAddress,
    preload,
    lifetimeMs: o.lifetime,
    lifetimeStaggerMs: o.lifetimeStagger,
    lifetimeRestart: o.lifetimeRestart,
  };

  // Loaded only now: --help, --version and bad arguments answer without loading the runtime.
  const [{ Nanny }, { Worker }, { reachScheduler }, { loadTls }] = await Promise.all([
    import('../nanny/nanny'),
    import('../worker/worker'),
    import('../comm/reach'),
    import('../comm/security'),
  ]);
  let finished: Promise<void>;
  let stop: (reason: string) => Promise<void>;
  if (o.nanny) {
    const nanny = await Nanny.start({
      scheduler: address,
      schedulerFile: o.schedulerFile,
      token,
      nworkers,
      ...common,
      workerPorts,
      port: o.nannyPort && [o.nannyPort.first, o.nannyPort.last],
      deathTimeoutMs: o.deathTimeout,
      env: o.quiet ? { PDASK_WORKER_QUIET: '1' } : undefined,
      log,
    });
    log(`Started ${nworkers} worker process${nworkers > 1 ? 'es' : ''}`);
    // A memory limit too small for a worker process is refused once, not restarted forever.
    finished = nanny.finished.then(() => {
      if (nanny.refusal) throw new Error(nanny.refusal);
    });
    stop = (reason) => nanny.close(reason);
  } else {
    // No nanny: find the scheduler here (the file may not exist yet), then this process becomes the
    // worker. The worker needs address and token before it listens: peers authenticate with the token.
    const t0 = Date.now();
    const target = o.schedulerFile ? { schedulerFile: o.schedulerFile } : { address, token: token ?? '' };
    if (!o.schedulerFile && !token) throw new Error('An authentication token is needed with a scheduler address (--token or PDASK_TOKEN)');
    const probe = await reachScheduler(target, { role: 'worker', tls: loadTls(tls), timeoutMs: o.deathTimeout, log });
    probe.comm.close('located');
    const worker = await Worker.start({
      scheduler: probe.address,
      token: probe.token,
      ...common,
      port: workerPorts?.[0],
      portRange: workerPorts,
      deathTimeoutMs: Math.max(1000, o.deathTimeout - (Date.now() - t0)),
      log: o.quiet ? undefined : (l) => console.error(`[pdask-worker] ${l}`),
    });
    process.on('uncaughtException', (e) => {
      console.error(`pdask-worker: uncaught exception${worker.current ? ` while running '${worker.current}'` : ''}:`, e);
      process.exit(70);
    });
    finished = worker.finished;
    stop = (reason) => worker.close(reason);
  }
  signals.attach((sig) => void stop(`received ${sig}`).then(() => process.exit(0)));
  await finished;
  process.exit(0);
} catch (e) {
  console.error(`pdask-worker: ${(e as Error).message}`);
  process.exit(1);
}
