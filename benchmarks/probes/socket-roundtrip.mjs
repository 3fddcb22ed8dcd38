// The floor of dist-roundtrip: a bare round trip to another process over loopback TCP and over a
// loopback WebSocket (ws), echoing a small message. node benchmarks/probes/socket-roundtrip.mjs
import { fork } from 'node:child_process';
import net from 'node:net';
import { WebSocket } from 'ws';
if (process.argv[2] === 'child') {
  const { WebSocketServer } = await import('ws');
  const tcp = net.createServer((s) => { s.setNoDelay(true); s.on('data', (d) => s.write(d)); }).listen(0, '127.0.0.1', () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 }, () => process.send({ tcp: tcp.address().port, ws: wss.address().port }));
    wss.on('connection', (c) => c.on('message', (d) => c.send(d)));
  });
} else {
  const child = fork(new URL(import.meta.url).pathname, ['child']);
  const ports = await new Promise((r) => child.once('message', r));
  const msg = Buffer.alloc(64, 1);
  const sock = net.connect(ports.tcp, '127.0.0.1');
  sock.setNoDelay(true);
  await new Promise((r) => sock.once('connect', r));
  const tcpTrip = () => new Promise((r) => { sock.once('data', r); sock.write(msg); });
  const ws = new WebSocket(`ws://127.0.0.1:${ports.ws}`);
  await new Promise((r) => ws.once('open', r));
  const wsTrip = () => new Promise((r) => { ws.once('message', r); ws.send(msg); });
  for (const [label, trip] of [['tcp', tcpTrip], ['ws', wsTrip]]) {
    for (let i = 0; i < 2000; i++) await trip();
    const out = [];
    for (let k = 0; k < 5; k++) { const t = performance.now(); for (let i = 0; i < 2000; i++) await trip(); out.push((performance.now() - t) / 2); }
    console.log(label, 'round trip µs, sorted:', out.sort((a, b) => a - b).map((x) => x.toFixed(0)).join(' '));
  }
  sock.destroy(); ws.close(); child.kill();
}
