/**
 * pdask-scheduler: starts a scheduler and publishes its address and token in a scheduler file.
 */
import { Command, InvalidArgumentError } from 'commander';
import { Scheduler } from '../scheduler/scheduler';
import { parseDuration, tlsFiles, withCommonOptions, type CommonOptions } from './parse';

const program = new Command('pdask-scheduler')
  .description('Start a pdask scheduler. Workers (pdask-worker) and clients (Client.connect) find it through the scheduler file.')
  .option('--scheduler-file <path>', 'write the address and authentication token here (mode 0600); removed on clean shutdown')
  .option('--host <host>', 'interface to listen on (default 127.0.0.1: this machine only)', '127.0.0.1')
  .option('--port <port>', 'port to listen on (0: any free port)', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port number 0-65535');
    return n;
  }, 0)
  .option('--dashboard-address <address>', 'accepted for compatibility with dask-scheduler; pdask has no dashboard yet')
  .option('--token <token>', 'authentication token (default: a fresh random one; also PDASK_TOKEN)')
  .option('--worker-ttl <duration>', 'remove a worker silent this long (e.g. 300s, 5m)', '300s')
  .showHelpAfterError();
withCommonOptions(program);

program.parse();
const o = program.opts<{
  schedulerFile?: string;
  host: string;
  port: number;
  dashboardAddress?: string;
  token?: string;
  workerTtl: string;
} & CommonOptions>();

const log = (l: string): void => {
  if (!o.quiet) console.error(`[pdask-scheduler] ${l}`);
};

try {
  if (o.dashboardAddress) log(`--dashboard-address ${o.dashboardAddress}: pdask has no dashboard yet; use Client.schedulerInfo()`);
  const tls = tlsFiles(o);
  const scheduler = await Scheduler.start({
    host: o.host,
    port: o.port,
    token: o.token ?? process.env.PDASK_TOKEN,
    schedulerFile: o.schedulerFile,
    tls,
    workerTtlMs: parseDuration(o.workerTtl),
    log,
  });
  if (!o.schedulerFile) log(`No --scheduler-file: workers need the address and PDASK_TOKEN=${scheduler.token}`);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      log(`Received ${sig}, shutting down`);
      void scheduler.close().then(() => process.exit(0));
    });
  }
  await scheduler.finished;
  process.exit(0);
} catch (e) {
  console.error(`pdask-scheduler: ${(e as Error).message}`);
  process.exit(1);
}
