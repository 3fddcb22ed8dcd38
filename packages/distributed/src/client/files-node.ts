/**
 * What the client reads from the machine in Node (package.json `imports` '#pdask/client-files',
 * default condition): TLS files, the scheduler file, and PDASK_* environment variables. The
 * browser's twin (files-browser.ts) has none of them.
 */
import { reachScheduler, type Reached } from '../comm/reach';
import { loadTls, type TlsFiles, type TlsMaterial } from '../comm/security';

export function clientTls(files: TlsFiles | undefined): TlsMaterial | undefined {
  return loadTls(files);
}

export function reachThroughFile(schedulerFile: string, tls: TlsMaterial | undefined, timeoutMs: number): Promise<Reached> {
  return reachScheduler({ schedulerFile }, { role: 'client', tls, timeoutMs, timeoutName: 'timeoutMs', firstDelayMs: 50, maxDelayMs: 500 });
}

export function envVar(name: string): string | undefined {
  return process.env[name];
}
