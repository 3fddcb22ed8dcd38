/** This package's version, for --version: read from its package.json, wherever the build put this code. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageVersion(from: string = import.meta.url): string {
  for (let dir = dirname(fileURLToPath(from)); ; dir = dirname(dir)) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) {
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@pdask/distributed' && pkg.version) return pkg.version;
    }
    if (dirname(dir) === dir) throw new Error('Cannot find the package.json of @pdask/distributed');
  }
}
