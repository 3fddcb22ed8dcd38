/** The peer answered and refused the connection (wrong token, or an origin it does not allow): final, retrying cannot fix it. */
export class ConnectionRefusedError extends Error {
  override name = 'ConnectionRefusedError';
}
