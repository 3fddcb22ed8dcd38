#!/usr/bin/env node
// pdask-worker. A committed file rather than a bin pointing into dist/: npm links a workspace's
// commands when it installs (`npm ci` in the repository), before dist/ is built, and skips a
// bin whose file does not exist yet.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/cli/worker.js', import.meta.url);
if (!existsSync(cli)) {
  console.error(`pdask-worker: ${fileURLToPath(cli)} is missing: build @pdask/distributed first (npm run build)`);
  process.exit(1);
}
await import(cli.href);
