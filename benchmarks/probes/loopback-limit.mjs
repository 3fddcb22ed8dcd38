// The physical floor of one dist-roundtrip on this machine: what a round trip costs with no pdask
// work at all. A pdask submit -> result round trip crosses a socket twice (scheduler -> worker
// `compute`, worker -> scheduler `done`; the client <-> scheduler legs are in memory), so the floor
// is one ping-pong between two Node processes over loopback, with messages of the same sizes.
// Variants: TCP with and without TCP_NODELAY, a message written as two `write`s (frame header and
// payload) or one `writev` (cork/uncork), a unix domain socket, a `ws` WebSocket (what pdask uses)
// over TCP and over a unix socket,
// the same ping-pong inside one process (no cross-process wake-up), and the child spinning its
// event loop (never sleeping in epoll) so the wake-up of an idle process is taken out.
// Reports per variant: wall µs per round trip (median and least of BATCHES batches), CPU µs per round
// trip of each process (/proc/<pid>/task/*/schedstat) and sleeps (voluntary context switches) per
// round trip. Linux only; 127.0.0.1 and a unix socket in the temp directory only.
// node benchmarks/probes/loopback-limit.mjs [round trips per batch=2000] [ping bytes=PING] [pong bytes=PONG]
import { fork } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const N = Number(process.argv[3] ?? 2000);
// Defaults: the sizes of a dist-roundtrip's WebSocket payloads (`compute` to the worker, `done` back), measured
// with a preload recording `ws` send sizes (see the distributed README); override on the command line.
const PING = Number(process.argv[4] ?? 261);
const PONG = Number(process.argv[5] ?? 170);
const BATCHES = Number(process.env.BATCHES ?? 7);
const WARM = 2000;

/** Reads fixed-size messages off a stream socket and calls `onMsg` once per whole message. */
function framer(size, onMsg) {
  let have = 0;
  return (d) => {
    have += d.length;
    while (have >= size) {
      have -= size;
      onMsg();
    }
  };
}

/** Writes one message as `mode`: 'one' write, 'two' writes (header + payload), or 'writev' (two buffers, one system call). */
function writer(sock, size, mode) {
  const whole = Buffer.alloc(size, 7);
  const head = whole.subarray(0, 4), body = whole.subarray(4);
  if (mode === 'one') return () => sock.write(whole);
  if (mode === 'two') return () => { sock.write(head); sock.write(body); };
  return () => { sock.cork(); sock.write(head); sock.write(body); sock.uncork(); };
}

if (process.argv[2] === 'child') {
  // The echoing side (the worker): answers each PING-byte message with a PONG-byte one.
  let spin = false;
  const serve = (sock, mode, noDelay) => {
    sock.setNoDelay(noDelay);
    const reply = writer(sock, PONG, mode);
    sock.on('data', framer(PING, reply));
  };
  let conf = { mode: 'one', noDelay: true };
  const tcp = net.createServer((s) => serve(s, conf.mode, conf.noDelay)).listen(0, '127.0.0.1');
  const path = join(tmpdir(), `pdask-loopback-limit-${process.pid}.sock`);
  const unix = net.createServer((s) => serve(s, conf.mode, true)).listen(path);
  const { WebSocketServer } = await import('ws');
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  wss.on('connection', (c) => {
    c.binaryType = 'nodebuffer';
    const pong = Buffer.alloc(PONG, 7);
    c.on('message', () => c.send(pong, { binary: true }));
  });
  // Spinning: a setImmediate chain keeps the loop polling with a zero timeout, so it never sleeps.
  const spinOnce = () => { if (spin) setImmediate(spinOnce); };
  process.on('message', (m) => {
    if (m.conf) conf = m.conf;
    if (m.spin !== undefined) { spin = m.spin; if (spin) setImmediate(spinOnce); }
    if (m.exit) { rmSync(path, { force: true }); rmSync(wsPath, { force: true }); process.exit(0); }
    process.send({ ok: true });
  });
  // The same WebSocket server behind an HTTP server on a unix socket (ws+unix:// clients).
  const { createServer } = await import('node:http');
  const wsPath = join(tmpdir(), `pdask-loopback-limit-ws-${process.pid}.sock`);
  const http = createServer().listen(wsPath);
  const wssUnix = new WebSocketServer({ server: http, perMessageDeflate: false });
  wssUnix.on('connection', (c) => wss.emit('connection', c));
  await new Promise((r) => wss.once('listening', r));
  process.send({ tcp: tcp.address().port, unix: path, ws: wss.address().port, wsUnix: wsPath });
} else {
  const child = fork(new URL(import.meta.url).pathname, ['child', String(N), String(PING), String(PONG)]);
  const ask = (m) => new Promise((r) => { child.once('message', r); child.send(m); });
  const ports = await new Promise((r) => child.once('message', r));
  const cpu = (pid) => {
    let ns = 0, vol = 0;
    for (const t of readdirSync(`/proc/${pid}/task`)) {
      ns += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]);
      vol += Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/task/${t}/status`, 'utf8'))[1]);
    }
    return [ns, vol];
  };
  /** A connected stream socket whose `trip()` sends one PING and resolves on the whole PONG. */
  async function streamTrip(connectArgs, mode, noDelay) {
    const sock = net.connect(...connectArgs);
    await new Promise((r) => sock.once('connect', r));
    sock.setNoDelay(noDelay);
    let resolve;
    sock.on('data', framer(PONG, () => resolve()));
    const send = writer(sock, PING, mode);
    return { trip: () => new Promise((r) => { resolve = r; send(); }), close: () => sock.destroy() };
  }
  async function wsTrip(url = `ws://127.0.0.1:${ports.ws}`) {
    const { WebSocket } = await import('ws');
    const ws = new WebSocket(url, { perMessageDeflate: false });
    await new Promise((r) => ws.once('open', r));
    const ping = Buffer.alloc(PING, 7);
    let resolve;
    ws.on('message', () => resolve());
    return { trip: () => new Promise((r) => { resolve = r; ws.send(ping, { binary: true }); }), close: () => ws.close() };
  }
  /** Both ends in this process: the same system calls and loop turns, but no other process to wake. */
  async function inProcessTrip() {
    const server = net.createServer((s) => { s.setNoDelay(true); s.on('data', framer(PING, writer(s, PONG, 'one'))); });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    const t = await streamTrip([server.address().port, '127.0.0.1'], 'one', true);
    return { trip: t.trip, close: () => { t.close(); server.close(); } };
  }
  async function measure(label, make, childConf = {}) {
    await ask({ conf: { mode: 'one', noDelay: true, ...childConf.conf }, spin: childConf.spin ?? false });
    const t = await make();
    for (let i = 0; i < WARM; i++) await t.trip();
    const rows = [];
    for (let b = 0; b < BATCHES; b++) {
      const p0 = cpu(process.pid), c0 = cpu(child.pid), t0 = performance.now();
      for (let i = 0; i < N; i++) await t.trip();
      const wall = ((performance.now() - t0) * 1000) / N;
      const p1 = cpu(process.pid), c1 = cpu(child.pid);
      rows.push({ wall, cpuA: (p1[0] - p0[0]) / N / 1000, cpuB: (c1[0] - c0[0]) / N / 1000, sleepA: (p1[1] - p0[1]) / N, sleepB: (c1[1] - c0[1]) / N });
    }
    t.close();
    await ask({ spin: false });
    const med = (k) => rows.map((r) => r[k]).sort((x, y) => x - y)[rows.length >> 1];
    const min = (k) => Math.min(...rows.map((r) => r[k]));
    console.log(
      `${label.padEnd(34)} wall µs median ${med('wall').toFixed(1).padStart(6)} least ${min('wall').toFixed(1).padStart(6)} | CPU µs A ${med('cpuA').toFixed(1).padStart(5)} B ${med('cpuB').toFixed(1).padStart(5)} | sleeps A ${med('sleepA').toFixed(2)} B ${med('sleepB').toFixed(2)}`,
    );
  }
  console.log(`one ping-pong = one pdask round trip's two socket hops; ${PING} B out, ${PONG} B back; ${BATCHES} batches of ${N} after ${WARM}; A = this process, B = the echoing one`);
  const tcp = [ports.tcp, '127.0.0.1'];
  // The client measures in-process first (its own loop turns), then the cross-process variants.
  await measure('in one process, TCP (no wake-up)', inProcessTrip);
  await measure('TCP, TCP_NODELAY, one write', () => streamTrip(tcp, 'one', true));
  await measure('TCP, Nagle on, one write', () => streamTrip(tcp, 'one', false), { conf: { noDelay: false } });
  await measure('TCP, NODELAY, two writes', () => streamTrip(tcp, 'two', true), { conf: { mode: 'two' } });
  await measure('TCP, NODELAY, one writev', () => streamTrip(tcp, 'writev', true), { conf: { mode: 'writev' } });
  await measure('unix socket, one write', () => streamTrip([ports.unix], 'one', true));
  await measure('ws (WebSocket over TCP)', () => wsTrip());
  await measure('ws over a unix socket', () => wsTrip(`ws+unix://${ports.wsUnix}`));
  await measure('TCP, NODELAY, echoer spinning', () => streamTrip(tcp, 'one', true), { spin: true });
  const ticks = async (label, next) => {
    const t0 = performance.now();
    for (let i = 0; i < 100_000; i++) await new Promise(next);
    console.log(`${label.padEnd(34)} ${(((performance.now() - t0) * 1000) / 100_000).toFixed(2)} µs each`);
  };
  await ticks('one setImmediate turn', (r) => setImmediate(r));
  await ticks('one queueMicrotask hop', (r) => queueMicrotask(r));
  child.send({ exit: true });
}
