/**
 * `npm test`'s two type-checks side by side (each is one single-threaded tsc over the repo, and
 * CI has two cores): the sources (`tsconfig.json`, strict, no emit) and the examples and benchmarks
 * against the built packages' declarations (`tsconfig.run.json`). Fails if either fails; each
 * one's output is printed whole, after it ends, so the two never interleave.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const run = (args) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code, signal) => resolve({ label: `tsc ${args.join(' ')}`, code: code ?? 1, signal, out }));
  });

const results = await Promise.all([run(['-p', 'tsconfig.json', '--noEmit']), run(['-p', 'tsconfig.run.json'])]);
let failed = false;
for (const r of results) {
  if (r.out) process.stdout.write(`> ${r.label}\n${r.out}`);
  if (r.code !== 0) {
    failed = true;
    process.stderr.write(`${r.label} failed (${r.signal ?? `exit code ${r.code}`})\n`);
  }
}
process.exit(failed ? 1 : 0);
