import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { releaseCheck } from '../../scripts/release/check';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

describe('the release check', () => {
  it('finds the repository ready: one version, exact sibling versions, metadata, a changelog', () => {
    const r = releaseCheck();
    expect(r.problems).toEqual([]);
    expect(r.packages).toEqual(['@pdask/array', '@pdask/bag', '@pdask/core', '@pdask/dataframe', '@pdask/distributed', '@pdask/kernels', '@pdask/ml']);
    expect(r.version).toBe((JSON.parse(readFileSync(join(ROOT, 'lerna.json'), 'utf8')) as { version: string }).version);
    expect(r.changelog).toMatch(/^## @pdask\/array\n- .+ \([0-9a-f]{7,}\)$/m);
  });

  it('names each problem: a version off, a sibling at another version, missing metadata', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pdask-release-'));
    try {
      for (const f of ['lerna.json', 'packages/core/package.json', 'packages/core/LICENSE', 'packages/bag/package.json', 'packages/bag/LICENSE']) cpSync(join(ROOT, f), join(dir, f));
      execFileSync('git', ['init', '-q'], { cwd: dir });
      const bag = JSON.parse(readFileSync(join(dir, 'packages/bag/package.json'), 'utf8')) as Record<string, unknown> & { dependencies: Record<string, string> };
      bag.version = '0.0.9';
      bag.dependencies['@pdask/core'] = '^0.1.0';
      delete bag.keywords;
      writeFileSync(join(dir, 'packages/bag/package.json'), JSON.stringify(bag));
      rmSync(join(dir, 'packages/core/LICENSE'));
      const r = releaseCheck({ root: dir });
      expect(r.problems).toEqual([
        'packages/bag/package.json: version 0.0.9, lerna.json says 0.1.0',
        "packages/bag/package.json: no 'keywords'",
        'packages/bag/package.json: depends on @pdask/core@^0.1.0, not the release version 0.1.0',
        'packages/core/package.json: LICENSE missing from the package',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
