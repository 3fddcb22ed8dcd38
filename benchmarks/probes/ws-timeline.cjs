// Preload (node -r, and LocalCluster env NODE_OPTIONS=--require): records when each process sends / receives a WebSocket message (ring of the last 4000), dumped to <tmpdir>/pdask-wst-<pid>.json on exit. See the distributed README (where a round trip's time goes).
const path = require('node:path');
const ws = require(path.join(__dirname, '..', '..', 'node_modules', 'ws'));
const { writeFileSync } = require('node:fs');
const ring = [];
const now = () => performance.timeOrigin + performance.now();
const rec = (e) => { ring.push([now(), e]); if (ring.length > 4000) ring.splice(0, 2000); };
globalThis.__wsrec = rec;
const P = ws.WebSocket.prototype;
const send = P.send, emit = P.emit;
P.send = function (d, o, cb) { if (!o || o.fin !== false) rec('send'); return send.call(this, d, o, cb); };
P.emit = function (ev, ...a) { if (ev === 'message') rec('recv'); return emit.call(this, ev, ...a); };
process.on('exit', () => writeFileSync(require('node:path').join(require('node:os').tmpdir(), `pdask-wst-${process.pid}.json`), JSON.stringify(ring)));
process.on('SIGTERM', () => process.exit(0));
