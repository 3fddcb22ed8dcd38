/**
 * The scheduler's allowed origins: the check as pure logic, then over loopback — an upgrade with
 * an Origin header not in the list gets HTTP 403 with the reason, one without an Origin header
 * (Node clients, workers) is unaffected, and a browser-style upgrade (token as a subprotocol)
 * from an allowed origin connects. Options, config and the CLI flag are checked by name.
 */
import { spawn, spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { config } from '@pdask/core';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, LocalCluster, Scheduler } from '../src/index';
import { checkOrigin, configuredOrigins, normalizeOrigin, normalizeOrigins } from '../src/scheduler/allowed-origins';
import { offeredProtocols, tokenFromProtocols, tokenProtocol } from '../src/comm/token-protocol';
import { requireBuild, SCHEDULER_CLI } from './helpers';

describe('allowed origins, as logic', () => {
  it('normalises an origin as a browser sends it, and refuses what is not one', () => {
    expect(normalizeOrigin('HTTPS://Example.ORG:443/')).toBe('https://example.org');
    expect(normalizeOrigin('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(normalizeOrigin('http://[::1]:80')).toBe('http://[::1]');
    expect(() => normalizeOrigin('example.org')).toThrow(/'example\.org' is not an origin: expected scheme:\/\/host\[:port\]/);
    expect(() => normalizeOrigin('https://example.org/app')).toThrow(/has more than an origin/);
    expect(() => normalizeOrigin('https://example.org?x=1')).toThrow(/has more than an origin/);
    expect(() => normalizeOrigin('https://user@example.org')).toThrow(/has more than an origin/);
    expect(() => normalizeOrigin('file:///tmp/page.html')).toThrow(/only http:\/\/ and https:\/\//);
    expect(() => normalizeOrigin('*')).toThrow(/'\*' is not an origin/);
    expect(() => normalizeOrigins(['https://a.org', 3])).toThrow(/3 is not a string/);
  });

  it('reads the config as a list, or as one string of origins', () => {
    expect(configuredOrigins([])).toEqual([]);
    expect(configuredOrigins(['https://a.org:443'])).toEqual(['https://a.org']);
    expect(configuredOrigins('https://a.org, http://127.0.0.1:3000')).toEqual(['https://a.org', 'http://127.0.0.1:3000']);
    expect(() => configuredOrigins(5)).toThrow(/distributed\.scheduler\.allowed-origins.*expected a list of origins, got 5/);
    expect(() => configuredOrigins(['nope'])).toThrow(/distributed\.scheduler\.allowed-origins.*'nope' is not an origin/);
  });

  it('lets requests without an Origin through, and only the listed origins with one', () => {
    expect(checkOrigin(undefined, [])).toEqual({ ok: true });
    expect(checkOrigin('https://a.org', ['https://a.org'])).toEqual({ ok: true });
    // The browser's spelling of a default port is the bare origin.
    expect(checkOrigin('https://a.org:443', ['https://a.org'])).toEqual({ ok: true });
    const none = checkOrigin('https://a.org', []);
    expect(none.ok).toBe(false);
    expect(!none.ok && none.reason).toMatch(/^Forbidden: pages from origin https:\/\/a\.org may not connect to this scheduler \(none is allowed by default\)/);
    expect(!none.ok && none.reason).toMatch(/--allowed-origin/);
    // Same host, other port or scheme: another origin.
    for (const o of ['https://a.org:8443', 'http://a.org', 'https://b.a.org', 'null', 'garbage']) {
      const v = checkOrigin(o, ['https://a.org']);
      expect(v.ok, o).toBe(false);
      expect(!v.ok && v.reason, o).toContain('(allowed: https://a.org)');
    }
  });

  it('carries any token as a subprotocol and reads it back', () => {
    for (const token of ['abc_DEF-123', 'with space, comma/slash+plus=', 'ünïcødé ✓', 'x'.repeat(300)]) {
      const p = tokenProtocol(token);
      // What a subprotocol may hold (RFC 6455: an HTTP token).
      expect(p).toMatch(/^pdask\.token\.[A-Za-z0-9_-]+$/);
      expect(tokenFromProtocols(offeredProtocols(`pdask, ${p}`))).toBe(token);
    }
    expect(tokenFromProtocols(offeredProtocols('pdask'))).toBeUndefined();
    expect(tokenFromProtocols(offeredProtocols(undefined))).toBeUndefined();
    expect(tokenFromProtocols(['pdask.token.%%%'])).toBeUndefined();
  });
});

/** An upgrade to `address` as a browser or a Node client sends it; resolves with the HTTP status and body (101 when upgraded). */
function upgrade(address: string, headers: Record<string, string>): Promise<{ status: number; body: string; protocol?: string }> {
  const { hostname, port } = new URL(address.replace(/^tcp:/, 'http:'));
  return new Promise((resolve, reject) => {
    const req = request({
      host: hostname,
      port,
      path: '/?role=client',
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, body: '', protocol: res.headers['sec-websocket-protocol'] });
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('allowed origins, over loopback', () => {
  const allowed = 'http://127.0.0.1:5173';
  let open: Scheduler;
  let closed: Scheduler;

  beforeAll(async () => {
    open = await Scheduler.start({ allowedOrigins: [`${allowed}/`] });
    closed = await Scheduler.start();
  });

  afterAll(async () => {
    await open?.close();
    await closed?.close();
  });

  it('refuses an upgrade from an origin not allowed with 403 and the reason, before looking at the token', async () => {
    const r = await upgrade(closed.address, { origin: 'http://127.0.0.1:5173', 'x-pdask-token': closed.token });
    expect(r.status).toBe(403);
    expect(r.body).toMatch(/^Forbidden: pages from origin http:\/\/127\.0\.0\.1:5173 may not connect to this scheduler \(none is allowed by default\)/);
    const other = await upgrade(open.address, { origin: 'http://127.0.0.1:5174', 'x-pdask-token': open.token });
    expect(other.status).toBe(403);
    expect(other.body).toContain('(allowed: http://127.0.0.1:5173)');
  });

  it('lets an allowed origin in with the token as a subprotocol, selecting `pdask`; a wrong token still gets 401', async () => {
    const ok = await upgrade(open.address, { origin: allowed, 'sec-websocket-protocol': `pdask, ${tokenProtocol(open.token)}` });
    expect(ok).toMatchObject({ status: 101, protocol: 'pdask' });
    const wrong = await upgrade(open.address, { origin: allowed, 'sec-websocket-protocol': `pdask, ${tokenProtocol('not-the-token')}` });
    expect(wrong.status).toBe(401);
    const none = await upgrade(open.address, { origin: allowed });
    expect(none.status).toBe(401);
  });

  it('leaves requests without an Origin header alone: Node clients connect and compute', async () => {
    expect((await upgrade(closed.address, { 'x-pdask-token': closed.token })).status).toBe(101);
    // Over TCP (not the in-process link), as a client in another process would.
    const scope = config.set({ 'distributed.comm.in-process': false });
    try {
      const c = await Client.connect(closed.address, { token: closed.token, setAsDefault: false });
      try {
        expect(c.workers).toEqual([]);
        expect((await c.schedulerInfo()).address).toBe(closed.address);
      } finally {
        await c.close();
      }
    } finally {
      scope.restore();
    }
  });

  it('refuses a ws client that sends an Origin not allowed (403)', async () => {
    const ws = new WebSocket(closed.address.replace('tcp:', 'ws:'), { origin: 'https://evil.example', headers: { 'x-pdask-token': closed.token } });
    ws.on('error', () => undefined);
    const status = await new Promise<number>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
    });
    ws.terminate();
    expect(status).toBe(403);
  });

  it('checks the option, the config and LocalCluster by name', async () => {
    await expect(Scheduler.start({ allowedOrigins: 'https://a.org' as unknown as string[] })).rejects.toThrow(/allowedOrigins.*an array of strings/);
    await expect(Scheduler.start({ allowedOrigins: ['https://a.org/app'] })).rejects.toThrow(/Scheduler\.start: allowedOrigins: 'https:\/\/a\.org\/app' has more than an origin/);
    await expect(LocalCluster.start({ nWorkers: 0, allowedOrigins: [7] as unknown as string[] })).rejects.toThrow(/allowedOrigins.*an array of strings/);
    const scope = config.set({ 'distributed.scheduler.allowed-origins': ['http://127.0.0.1:9'] });
    const s = await Scheduler.start().finally(() => scope.restore());
    try {
      expect((await upgrade(s.address, { origin: 'http://127.0.0.1:9', 'x-pdask-token': s.token })).status).toBe(101);
      expect((await upgrade(s.address, { origin: 'http://127.0.0.1:10', 'x-pdask-token': s.token })).status).toBe(403);
    } finally {
      await s.close();
    }
    const c = await LocalCluster.start({ nWorkers: 0, processes: false, allowedOrigins: ['http://127.0.0.1:11'] });
    try {
      expect((await upgrade(c.schedulerAddress, { origin: 'http://127.0.0.1:11', 'x-pdask-token': c.token })).status).toBe(101);
      expect((await upgrade(c.schedulerAddress, { origin: 'http://127.0.0.1:12', 'x-pdask-token': c.token })).status).toBe(403);
    } finally {
      await c.close();
    }
  });

  it('pdask-scheduler --allowed-origin: refuses a bad origin by name, and allows the ones given', async () => {
    requireBuild();
    const bad = spawnSync(process.execPath, [SCHEDULER_CLI, '--allowed-origin', 'https://a.org/app', '--no-dashboard'], { encoding: 'utf8', timeout: 20_000 });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/option '--allowed-origin <origin>' argument 'https:\/\/a\.org\/app' is invalid\. --allowed-origin 'https:\/\/a\.org\/app' has more than an origin/);
    const p = spawn(process.execPath, [SCHEDULER_CLI, '--allowed-origin', 'http://127.0.0.1:21', '--allowed-origin', 'http://127.0.0.1:22', '--no-dashboard', '--token', 'cli-token'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let err = '';
      p.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const address = await new Promise<string>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no address from pdask-scheduler: ${err}`)), 20_000);
        p.stderr.on('data', () => {
          const m = /Scheduler at (tcp:\/\/\S+)/.exec(err);
          if (m) {
            clearTimeout(t);
            resolve(m[1]);
          }
        });
      });
      for (const [origin, status] of [['http://127.0.0.1:21', 101], ['http://127.0.0.1:22', 101], ['http://127.0.0.1:23', 403]] as const) {
        expect((await upgrade(address, { origin, 'x-pdask-token': 'cli-token' })).status, origin).toBe(status);
      }
    } finally {
      p.kill('SIGTERM');
      await new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r)));
    }
  });
});
