/**
 * The design rule of the operation catalogue, checked over every package's sources: a built-in
 * operation is named once, in its package's catalogue module, and referred to everywhere else by
 * its typed handle. A stray name (a string naming an operation, an OpRef literal, a catalogue
 * defined outside an ops module) fails this test with the file and line.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (/\.(ts|mts|cts)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const packages = readdirSync(join(root, 'packages')).filter((p) => statSync(join(root, 'packages', p, 'src'), { throwIfNoEntry: false })?.isDirectory());
const files = packages.flatMap((p) => sources(join(root, 'packages', p, 'src')));

/** Where the graph model and the catalogue itself are defined: OpRefs are spelled out there by design. */
const DEFINITIONS = new Set(['packages/core/src/ops/registry.ts', 'packages/core/src/graph/spec.ts']);

const RULES: { what: string; pattern: RegExp; allowed?: (file: string) => boolean }[] = [
  { what: 'an OpRef literal naming a module operation', pattern: /\bk:\s*'mod'/ },
  { what: 'an operation named by a string through an opRef() helper', pattern: /\bopRef\(\s*['"`]/ },
  { what: 'the retired defineOp()', pattern: /\bdefineOp\s*\(/ },
  { what: 'a step of a reduction named by a string', pattern: /^\s*(readonly\s+)?(partial|combine|aggregate|finalize|chunk)\??:\s*string\s*[;,]/ },
  { what: 'a catalogue defined outside its package ops module', pattern: /\bdefineCatalogue\s*\(/, allowed: (f) => /^packages\/[a-z]+\/src\/ops\/index\.ts$/.test(f) },
];

describe('the operation catalogue is the only place operations are named', () => {
  it(`finds the sources of ${packages.length} packages`, () => {
    expect(packages).toEqual(expect.arrayContaining(['core', 'array', 'bag', 'dataframe', 'ml', 'distributed', 'kernels']));
    expect(files.length).toBeGreaterThan(100);
  });

  for (const rule of RULES) {
    it(`has none: ${rule.what}`, () => {
      const found: string[] = [];
      for (const file of files) {
        const rel = relative(root, file).split('\\').join('/');
        if (DEFINITIONS.has(rel) || rule.allowed?.(rel)) continue;
        readFileSync(file, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            if (/^\s*(\/\/|\*|\/\*)/.test(line)) return;
            if (rule.pattern.test(line)) found.push(`${rel}:${i + 1}: ${line.trim()}`);
          });
      }
      expect(found).toEqual([]);
    });
  }
});
