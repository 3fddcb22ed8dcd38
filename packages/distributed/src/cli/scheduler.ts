/**
 * pdask-scheduler: starts a scheduler and publishes its address and token in a scheduler file.
 * The options are dask-scheduler's (Dask 2022.12).
 */
import { Command, Option } from 'commander';
import type { Scheduler as SchedulerType } from '../scheduler/scheduler';
import { resolvePreload } from '../preload';
import { interfaceHost, protocolArg } from './network';
import { arg, durationArg, port, tlsFiles, withCommonOptions, type CommonOptions } from './parse';
import { normalizeOrigin } from '../scheduler/allowed-origins';
import { writePidFile } from './pid-file';
import { listenForStopSignals } from './stop-signals';
import { packageVersion } from './version';
import { isWildcardHost, parseAddress, reachableHost, type Protocol } from '../comm/address';
import { removeTokenFile, writeTokenFile } from '../scheduler/token-file';

const DEFAULT_DASHBOARD = '127.0.0.1:8787';

const program = new Command('pdask-scheduler')
  .description('Start a pdask scheduler. Workers (pdask-worker) and clients (Client.connect) find it through the scheduler file.')
  .version(`pdask-scheduler, version ${packageVersion()}`, '--version', 'print the version and exit')
  .option('--scheduler-file <path>', 'write the address and authentication token here (mode 0600); removed on clean shutdown. Without it, a generated token goes to ~/.pdask/scheduler-HOST-PORT.token (mode 0600)')
  .option('--host <host>', 'address to listen on (default 127.0.0.1: this machine only; 0.0.0.0: every interface, publishing the first external one)')
  .option('--interface <name>', "listen on this network interface's address, like eth0 or ib0 (instead of --host)")
  .option('--port <port>', 'port to listen on (0: any free port)', port, 0)
  .option('--protocol <protocol>', 'tcp (default), tls (default with --tls-cert), ws or wss: pdask speaks WebSocket over TCP or TLS', protocolArg)
  .option('--dashboard-address <address>', 'serve the dashboard here (HOST:PORT or :PORT; port 0: any free port); anything but loopback requires the token', DEFAULT_DASHBOARD)
  .option('--no-dashboard', 'do not serve the dashboard')
  .option('--token <token>', 'authentication token (default: a fresh random one; also PDASK_TOKEN)')
  .addOption(new Option('--worker-ttl <duration>', 'remove a worker silent this long (e.g. 300s, 5m)').argParser(durationArg).default(300_000, '300s'))
  .option('--idle-timeout <duration>', 'shut down after this long with no work and no clients (e.g. 1h, "10 minutes")', durationArg)
  .addOption(
    new Option('--preload <module>', 'module to import at start-up, a path or a package; its pdaskSetup(scheduler) runs once listening (repeatable)')
      .argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]),
  )
  .option('--pid-file <path>', 'write the process id here (removed at exit)')
  .addOption(
    new Option('--allowed-origin <origin>', "let web pages from this origin (scheme://host[:port]) connect as browser clients (repeatable; default: none)")
      .argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), arg((x) => normalizeOrigin(x, '--allowed-origin'))(v)]),
  );
withCommonOptions(program);

program.parse();
const o = program.opts<
  {
    schedulerFile?: string;
    host?: string;
    interface?: string;
    port: number;
    protocol?: Protocol;
    dashboardAddress: string;
    dashboard: boolean;
    token?: string;
    workerTtl: number;
    idleTimeout?: number;
    preload?: string[];
    pidFile?: string;
    allowedOrigin?: string[];
  } & CommonOptions
>();

if (o.host !== undefined && o.interface !== undefined) program.error('error: give --host or --interface, not both');

const log = (l: string): void => {
  if (!o.quiet) console.error(`[pdask-scheduler] ${l}`);
};

const signals = listenForStopSignals(log);
try {
  if (o.pidFile) writePidFile(o.pidFile);
  // Loaded only now: --help, --version and bad arguments answer without loading the runtime.
  const [{ Scheduler }, { closeWhenIdle }, { Preloads }] = await Promise.all([import('../scheduler/scheduler'), import('../scheduler/idle'), import('../preload')]);
  const preloads = await Preloads.load<SchedulerType>(o.preload?.map((p) => resolvePreload(p)));
  const tls = tlsFiles(o);
  const host = o.interface !== undefined ? interfaceHost(o.interface) : (o.host ?? '127.0.0.1');
  const givenToken = o.token ?? (process.env.PDASK_TOKEN || undefined);
  const start = (dashboardAddress: string | undefined): Promise<SchedulerType> =>
    Scheduler.start({
      host,
      port: o.port,
      protocol: o.protocol,
      token: givenToken,
      schedulerFile: o.schedulerFile,
      tls,
      workerTtlMs: o.workerTtl,
      dashboardAddress,
      log,
      // Without the flag: config 'distributed.scheduler.allowed-origins' (none by default).
      ...(o.allowedOrigin ? { allowedOrigins: o.allowedOrigin } : {}),
    });
  const dashboardAddress = o.dashboard ? o.dashboardAddress : undefined;
  let scheduler: SchedulerType;
  try {
    scheduler = await start(dashboardAddress);
  } catch (e) {
    // As Dask: the default port taken (another cluster on this machine) moves the dashboard to a free one.
    if (dashboardAddress !== DEFAULT_DASHBOARD || !/is in use/.test((e as Error).message)) throw e;
    log(`Port 8787 is already in use; the dashboard goes on a free port instead (give one with --dashboard-address)`);
    scheduler = await start('127.0.0.1:0');
  }
  try {
    await preloads.setup(scheduler);
  } catch (e) {
    await scheduler.close();
    throw e;
  }
  if (isWildcardHost(host)) {
    log(
      `Warning: --host ${host} listens on every network interface of this machine; published ${scheduler.address}` +
        ` (${reachableHost().iface}). Give --host or --interface the address of the network workers and clients use.`,
    );
  }
  // The log is no place for a secret (SLURM output files are world-readable): a generated token goes to a private file.
  const tokenFile = !o.schedulerFile && !givenToken ? writeTokenFile(scheduler.token, parseAddress(scheduler.address).port) : undefined;
  if (tokenFile) log(`No --scheduler-file: the token is in ${tokenFile} (mode 0600, removed at shutdown); start workers with PDASK_TOKEN=$(cat ${tokenFile}) pdask-worker ${scheduler.address}`);
  else if (!o.schedulerFile) log(`No --scheduler-file: workers need the address ${scheduler.address} and the token given to this scheduler (PDASK_TOKEN)`);
  if (o.idleTimeout !== undefined) closeWhenIdle(scheduler, o.idleTimeout, log);
  signals.attach(() => void scheduler.close());
  await scheduler.finished;
  if (tokenFile) removeTokenFile(tokenFile);
  await preloads.teardown(scheduler, log);
  process.exit(0);
} catch (e) {
  console.error(`pdask-scheduler: ${(e as Error).message}`);
  process.exit(1);
}
