/**
 * pdask-worker: starts a nanny that runs and supervises `--nworkers` worker processes connected to
 * a scheduler (found through `--scheduler-file`, or given as an address).
 */
import { Command, Option } from 'commander';
import { Nanny } from '../nanny/nanny';
import { parseDuration, parseMemoryLimit, parseResources, positiveInt, tlsFiles, withCommonOptions, type CommonOptions } from './parse';

const program = new Command('pdask-worker')
  .description('Start pdask worker processes (under a nanny that restarts them) and connect them to a scheduler.')
  .argument('[scheduler]', 'scheduler address, tcp://host:port (needs --token or PDASK_TOKEN); or use --scheduler-file')
  .option('--scheduler-file <path>', 'read the scheduler address and token from this file (waits for it to appear)')
  .option('--nthreads <n>', 'tasks in flight per worker process', positiveInt('--nthreads'), 1)
  .option('--nworkers <n>', 'worker processes to start', positiveInt('--nworkers'), 1)
  .addOption(new Option('--nprocs <n>', 'old name of --nworkers').argParser(positiveInt('--nprocs')).hideHelp())
  .option('--memory-limit <size>', 'per worker: 0 (none), auto, 0.5 (fraction of RAM), 4GB, 512MiB', 'auto')
  .option('--name <name>', 'worker name (suffixed -0, -1, ... with several workers)')
  .option('--local-directory <dir>', 'where workers spill results to disk (default: the system temp directory)')
  .option('--death-timeout <duration>', 'give up if no scheduler answers for this long (e.g. 60, 60s, 5m)', '60s')
  .option('--resources <spec>', 'abstract resources of each worker, e.g. "GPU=2 MEM=10e9"')
  .option('--host <host>', 'interface the workers listen on for peers (default 127.0.0.1)', '127.0.0.1')
  .option('--token <token>', 'authentication token when connecting by address (also PDASK_TOKEN)')
  .showHelpAfterError();
withCommonOptions(program);

program.parse();
const o = program.opts<{
  schedulerFile?: string;
  nthreads: number;
  nworkers: number;
  nprocs?: number;
  memoryLimit: string;
  name?: string;
  localDirectory?: string;
  deathTimeout: string;
  resources?: string;
  host: string;
  token?: string;
} & CommonOptions>();
const address = program.args[0];

const log = (l: string): void => {
  if (!o.quiet) console.error(`[pdask-worker] ${l}`);
};

try {
  if (!address && !o.schedulerFile) throw new Error('Give a scheduler address (tcp://host:port) or --scheduler-file');
  if (address && o.schedulerFile) throw new Error('Give either a scheduler address or --scheduler-file, not both');
  const nworkers = o.nprocs ?? o.nworkers;
  const tls = tlsFiles(o);
  const nanny = await Nanny.start({
    scheduler: address,
    schedulerFile: o.schedulerFile,
    token: o.token ?? process.env.PDASK_TOKEN,
    tls,
    nworkers,
    nthreads: o.nthreads,
    memoryLimit: parseMemoryLimit(o.memoryLimit, nworkers),
    name: o.name,
    localDirectory: o.localDirectory,
    resources: parseResources(o.resources),
    host: o.host,
    deathTimeoutMs: parseDuration(o.deathTimeout),
    env: o.quiet ? { PDASK_WORKER_QUIET: '1' } : undefined,
    log,
  });
  log(`Started ${nworkers} worker process${nworkers > 1 ? 'es' : ''}`);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      log(`Received ${sig}, stopping workers`);
      void nanny.close(`received ${sig}`).then(() => process.exit(0));
    });
  }
  await nanny.finished;
  process.exit(0);
} catch (e) {
  console.error(`pdask-worker: ${(e as Error).message}`);
  process.exit(1);
}
