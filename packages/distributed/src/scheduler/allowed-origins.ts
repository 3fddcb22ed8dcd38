/**
 * Which web pages may connect to the scheduler. A browser sends the page's origin with every
 * WebSocket upgrade and lets any page open a WebSocket to any address, so without this check a
 * page from anywhere that learnt the token could drive the cluster. pdask allows no origin by
 * default; each allowed one is configured (Scheduler `allowedOrigins`, config
 * `distributed.scheduler.allowed-origins`, `pdask-scheduler --allowed-origin`). Upgrades without an
 * Origin header (Node clients, workers, nannies: not browsers) are not concerned.
 */

export type OriginVerdict = { ok: true } | { ok: false; reason: string };

/**
 * An allowed origin as the browser will send it (`scheme://host[:port]`, default port dropped,
 * lower case), or an error naming what is wrong with it. `where` names the setting in the error.
 */
export function normalizeOrigin(origin: string, where = 'allowed origin'): string {
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    throw new TypeError(`${where} '${origin}' is not an origin: expected scheme://host[:port], e.g. https://notebook.example.org`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new TypeError(`${where} '${origin}': only http:// and https:// pages have an origin a scheduler can allow`);
  }
  if (u.username || u.password || (u.pathname !== '/' && u.pathname !== '') || u.search || u.hash) {
    throw new TypeError(`${where} '${origin}' has more than an origin: write only scheme://host[:port], without a path`);
  }
  return u.origin;
}

/** The allowed origins checked and normalised; a bad entry is an error naming it. */
export function normalizeOrigins(origins: readonly unknown[], where = 'allowed origin'): string[] {
  return origins.map((o) => {
    if (typeof o !== 'string') throw new TypeError(`${where} ${JSON.stringify(o)} is not a string`);
    return normalizeOrigin(o, where);
  });
}

/**
 * Config 'distributed.scheduler.allowed-origins': a list, or (from a PDASK_* variable) one string
 * of origins separated by commas or spaces.
 */
export function configuredOrigins(value: unknown): string[] {
  const where = "config 'distributed.scheduler.allowed-origins':";
  if (typeof value === 'string') return normalizeOrigins(value.split(/[\s,]+/).filter(Boolean), where);
  if (!Array.isArray(value)) throw new TypeError(`${where} expected a list of origins, got ${JSON.stringify(value)}`);
  return normalizeOrigins(value, where);
}

/**
 * Whether an upgrade carrying `origin` (the Origin header, undefined when there is none) may
 * proceed, given the normalised allowed origins.
 */
export function checkOrigin(origin: string | string[] | undefined, allowed: readonly string[]): OriginVerdict {
  if (origin === undefined) return { ok: true };
  const given = Array.isArray(origin) ? origin.join(', ') : origin;
  let normal: string | undefined;
  try {
    normal = new URL(given).origin;
  } catch {
    normal = undefined;
  }
  // 'null' (a file:// page, a sandboxed frame) parses to nothing comparable: never allowed.
  if (normal !== undefined && normal !== 'null' && allowed.includes(normal)) return { ok: true };
  const list = allowed.length ? `allowed: ${allowed.join(', ')}` : 'none is allowed by default';
  return {
    ok: false,
    reason:
      `Forbidden: pages from origin ${given} may not connect to this scheduler (${list}). ` +
      'Allow it with pdask-scheduler --allowed-origin, the allowedOrigins option, or config distributed.scheduler.allowed-origins.',
  };
}
