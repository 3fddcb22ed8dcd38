/**
 * The browser's side of '#pdask/client-files' (see files-node.ts): a page has no files and no
 * environment, so it connects by address and token, and its browser checks TLS certificates.
 */
import type { Comm } from '../comm/comm';
import type { TlsFiles, TlsMaterial } from '../comm/security';

export function clientTls(files: TlsFiles | undefined): TlsMaterial | undefined {
  if (files && (files.cert || files.key || files.ca)) {
    throw new Error("Client.connect: { tls } files cannot be read in a browser; the browser checks the scheduler's certificate itself (connect to a wss:// or tls:// address)");
  }
  return undefined;
}

export function reachThroughFile(schedulerFile: string): Promise<{ comm: Comm; address: string; token: string }> {
  return Promise.reject(new Error(`Client.connect: a scheduler file ('${schedulerFile}') cannot be read in a browser; connect with Client.connect('wss://host:port', { token })`));
}

export function envVar(): string | undefined {
  return undefined;
}
