/** Design rules of issue 18 that the sources must keep (checked on the text of src/). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(__dirname, '../src');

function sources(dir = SRC): { path: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [{ path: join(dir, e.name).slice(SRC.length + 1), text: readFileSync(join(dir, e.name), 'utf8') }] : [],
  );
}

describe('operations are named only by the catalogue', () => {
  it('no source outside ops/ names an operation by a string', () => {
    const stray: string[] = [];
    for (const { path, text } of sources()) {
      if (path.startsWith('ops/')) continue;
      for (const pat of [/opRef\(/, /k: 'mod'/, /defineOp\b/, /defineCatalogue\(/, /'@pdask\/array\/ops'/]) {
        if (pat.test(text)) stray.push(`${path}: ${pat.source}`);
      }
    }
    expect(stray).toEqual([]);
  });
});

describe('reductions are data', () => {
  it('nothing dispatches on the spelling of a reduction name (the table says what a reduction is)', () => {
    const stray: string[] = [];
    for (const { path, text } of sources()) {
      for (const pat of [/fn\.(endsWith|startsWith|includes)\(/, /\bname\.(endsWith|startsWith)\('nan/, /kindOf\(/]) {
        if (pat.test(text)) stray.push(`${path}: ${pat.source}`);
      }
    }
    expect(stray).toEqual([]);
  });

  it('there is one tree builder: reductions and contractions go through core treeReduce', () => {
    const users = sources()
      .filter(({ text }) => /\btreeReduce\(/.test(text))
      .map(({ path }) => path)
      .sort();
    expect(users).toEqual(['linalg/matmul.ts', 'reductions/reductions.ts', 'reductions/user-reduction.ts', 'stats/einsum.ts', 'stats/histogram.ts', 'stats/quantile.ts', 'stats/topk.ts', 'stats/unique.ts']);
    expect(sources().filter(({ text }) => /combine\d|-combine|'array\.split-every'/.test(text)).map(({ path }) => path)).toEqual([]);
  });
});
