// The package build: the WebAssembly modules, tsup, then the assets tsup must not clean. One
// script so that flags given to `npm run build` (lerna's `-- --silent`) reach every step.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const flags = process.argv.slice(2);
const silent = flags.includes('--silent');
const steps = [
  [process.execPath, [join(pkg, 'scripts/build-wasm.mjs'), ...(silent ? ['--silent'] : [])]],
  // npm puts the workspace's node_modules/.bin on PATH for package scripts.
  ['tsup', flags],
  [process.execPath, [join(pkg, 'scripts/copy-assets.mjs')]],
];
for (const [cmd, args] of steps) {
  const r = spawnSync(cmd, args, { cwd: pkg, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
