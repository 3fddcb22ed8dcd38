/**
 * The token as a WebSocket subprotocol. A browser's WebSocket cannot send headers, so a browser
 * client offers two subprotocols instead of the `x-pdask-token` header: `pdask` (what the server
 * selects) and `pdask.token.<base64url of the token's UTF-8 bytes>` (base64url keeps any token
 * within the characters a subprotocol may hold). Unlike a URL query, a header is not written to
 * access logs or browser history.
 */

/** The subprotocol a server selects for a client that sent its token this way. */
export const PDASK_PROTOCOL = 'pdask';
const PREFIX = 'pdask.token.';

export function tokenProtocol(token: string): string {
  let bin = '';
  for (const b of new TextEncoder().encode(token)) bin += String.fromCharCode(b);
  return PREFIX + btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The token carried by an offered subprotocol list (the `sec-websocket-protocol` header), if any. */
export function tokenFromProtocols(protocols: Iterable<string>): string | undefined {
  for (const p of protocols) {
    if (!p.startsWith(PREFIX)) continue;
    const b64 = p.slice(PREFIX.length).replace(/-/g, '+').replace(/_/g, '/');
    try {
      const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
      return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The offered subprotocols of an upgrade request's header value. */
export function offeredProtocols(header: string | undefined): string[] {
  return header ? header.split(',').map((s) => s.trim()).filter(Boolean) : [];
}
