/**
 * Serves the built example (examples/browser/dist) on 127.0.0.1, cross-origin isolated (COOP/COEP
 * headers: the Web Workers then share memory with the page). `PORT` chooses the port (default 8080).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { DIST } from './build';

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.map': 'application/json', '.wasm': 'application/wasm' };
const port = Number(process.env.PORT ?? 8080);
const top = normalize(DIST + sep);
if (!existsSync(join(top, 'index.html'))) {
  console.error(`${top} has no build: run npm run build (or npm run build:browser-example) first`);
  process.exit(1);
}

createServer((req, res) => {
  const headers = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
  let file = normalize(join(top, decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname)));
  if (file.startsWith(top) && existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  if (!file.startsWith(top) || !existsSync(file)) return void res.writeHead(404, headers).end();
  res.writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
}).listen(port, '127.0.0.1', () => console.log(`the pdask browser example: http://127.0.0.1:${port}/ (Ctrl-C stops)`));
