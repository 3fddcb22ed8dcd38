/**
 * The packages as users get them: each is packed with `npm pack`, checked by publint and
 * arethetypeswrong, installed from the tarballs into a fresh project outside the repository, and
 * used from plain ESM, plain CommonJS, and strict TypeScript (skipLibCheck off) compiled as node16
 * CommonJS, node16 ESM and for bundlers. `npm test` builds the packages first.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'node_modules/.bin');
const PACKAGES = ['core', 'kernels', 'array', 'bag', 'dataframe', 'ml', 'distributed'];

let work: string;
let project: string;
const tarballs = new Map<string, string>();

function run(cmd: string, args: readonly string[], cwd: string, timeout = 240_000): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}) in ${cwd}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'pdask-pack-'));
  const packs = join(work, 'tarballs');
  mkdirSync(packs);
  // One npm for all the packs (an npm start-up is about a second of CPU).
  run('npm', ['pack', '--silent', '--pack-destination', packs, ...PACKAGES.map((p) => `--workspace=packages/${p}`)], ROOT);
  for (const f of readdirSync(packs)) tarballs.set(f.replace(/^pdask-(.+)-\d+\.\d+\.\d+.*\.tgz$/, '$1'), join(packs, f));
  project = join(work, 'app');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'pdask-pack-test', version: '1.0.0', private: true }, null, 2));
  // Each package from its tarball; their own dependencies from the registry (or npm's cache).
  run('npm', ['install', '--prefer-offline', '--no-package-lock', ...PACKAGES.map((p) => tarballs.get(p)!), '@types/node@20', `typescript@${(createRequire(import.meta.url)('typescript/package.json') as { version: string }).version}`], project, 300_000);
}, 400_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('npm tarballs', () => {
  it('packs every package, each with its LICENSE, README and built files only', () => {
    expect([...tarballs.keys()].sort()).toEqual([...PACKAGES].sort());
    for (const [name, file] of tarballs) {
      const list = execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).split('\n').filter(Boolean);
      expect(list, name).toEqual(expect.arrayContaining(['package/LICENSE', 'package/README.md', 'package/package.json', 'package/dist/index.js', 'package/dist/index.cjs', 'package/dist/index.d.ts', 'package/dist/index.d.cts']));
      // @pdask/distributed's commands are small committed files under bin/ that load dist/cli/.
      expect(list.filter((f) => !/^package\/(LICENSE|README\.md|package\.json|dist\/.*)$/.test(f) && !(name === 'distributed' && /^package\/bin\/pdask-(scheduler|worker)\.js$/.test(f))), name).toEqual([]);
    }
  });

  it('passes publint with nothing to report', async () => {
    // Linted from the tarballs themselves: what users get, and no npm pack per package.
    for (const [name, file] of tarballs) {
      const bytes = readFileSync(file);
      const tarball = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      const { messages } = await publint({ strict: true, pack: { tarball } });
      expect(messages, name).toEqual([]);
    }
  });

  it('passes arethetypeswrong for node10, node16 (CJS and ESM) and bundlers', () => {
    // One process for every tarball (the CLI loads TypeScript again for each).
    const reports = JSON.parse(run('node', [join(ROOT, 'scripts/test/types-wrong.mjs'), ...tarballs.values()], ROOT)) as { file: string; typed: boolean; problems: unknown[]; entrypoints: string[] }[];
    expect(reports.map((r) => r.file).sort()).toEqual([...tarballs.values()].sort());
    for (const r of reports) {
      expect(r.typed, r.file).toBe(true);
      expect(r.problems, r.file).toEqual([]);
      expect(r.entrypoints.length, r.file).toBeGreaterThan(1);
    }
  }, 240_000);
});

/** A small program using every package; `load` is how the module system gets them. */
function program(load: (name: string) => string): string {
  return `
const core = ${load('@pdask/core')};
const da = ${load('@pdask/array')};
const db = ${load('@pdask/bag')};
const dd = ${load('@pdask/dataframe')};
const ml = ${load('@pdask/ml')};
const dist = ${load('@pdask/distributed')};
const kernels = ${load('@pdask/kernels')};
const out = [];
out.push(await core.delayed((a, b) => a + b)(20, 22).compute({ scheduler: 'threads' }));
out.push(await da.arange(1000, { chunks: 100 }).sum().compute({ scheduler: 'threads' }));
out.push(await db.fromSequence([1, 2, 3, 4], { npartitions: 2 }).map((x) => x * 10).sum().compute({ scheduler: 'sync' }));
const df = dd.fromColumns({ k: ['a', 'b', 'a'], v: [1, 2, 3] }, { npartitions: 2 });
out.push(String((await df.groupby('k').col('v').sum().compute({ scheduler: 'sync' })).toArray()));
out.push(typeof ml.KMeans, typeof dist.Client, (await kernels.loadKernels()).sum(new Float64Array([1.5, 2.5])));
// The SVG renderer is an optional dependency, not installed here: DOT works, SVG says what to install.
const d = core.delayed((x) => x)(1);
out.push((await d.visualize({ format: 'dot' })).startsWith('digraph'));
out.push(await d.visualize().then(() => 'drawn', (e) => e.name + ': ' + e.message.includes('npm install @viz-js/viz')));
await core.closeThreadPools();
console.log(JSON.stringify(out));
`;
}
const EXPECTED = JSON.stringify([42, 499500, 100, '4,2', 'function', 'function', 4, true, 'RendererMissingError: true']);

describe('installed from the tarballs, outside the repository', () => {
  it('runs from plain ESM', () => {
    writeFileSync(join(project, 'main.mjs'), program((n) => `await import('${n}')`));
    expect(run('node', ['main.mjs'], project).trim()).toBe(EXPECTED);
  });

  it('runs from plain CommonJS (require)', () => {
    writeFileSync(join(project, 'main.cjs'), `(async () => {${program((n) => `require('${n}')`)}})().catch((e) => { console.error(e); process.exit(1); });`);
    expect(run('node', ['main.cjs'], project).trim()).toBe(EXPECTED);
  });

  it("puts @pdask/distributed's commands in node_modules/.bin", () => {
    for (const cmd of ['pdask-scheduler', 'pdask-worker']) {
      expect(run(join(project, 'node_modules/.bin', cmd), ['--help'], project)).toContain(`Usage: ${cmd}`);
    }
  });

  const typed = `
import { delayed, type Delayed } from '@pdask/core';
import { arange, type ChunkedArray } from '@pdask/array';
import { fromSequence } from '@pdask/bag';
import { fromColumns } from '@pdask/dataframe';
import { KMeans } from '@pdask/ml';
import { Client } from '@pdask/distributed';
import { loadKernels } from '@pdask/kernels';
import { coreOps } from '@pdask/core/ops';
import { arrayOps } from '@pdask/array/ops';
import { bagOps } from '@pdask/bag/ops';
import { dataframeOps } from '@pdask/dataframe/ops';
import { mlOps } from '@pdask/ml/ops';
import { distributedOps } from '@pdask/distributed/ops';
const d: Delayed<number> = delayed((a: number, b: number) => a + b)(1, 2);
const x: ChunkedArray<number> = arange(10, { chunks: 5 }).sum();
export const all = [d, x, fromSequence([1], { npartitions: 1 }), fromColumns({ a: [1] }, { npartitions: 1 }), KMeans, Client, loadKernels, coreOps, arrayOps, bagOps, dataframeOps, mlOps, distributedOps] as const;
`;
  const variants: [string, string, Record<string, unknown>][] = [
    ['node16 CommonJS', 'check.cts', { module: 'node16', moduleResolution: 'node16' }],
    ['node16 ESM', 'check.mts', { module: 'node16', moduleResolution: 'node16' }],
    ['bundler', 'check.ts', { module: 'esnext', moduleResolution: 'bundler' }],
  ];
  // The three compilations run side by side (each loads TypeScript and checks every .d.ts).
  const checks = new Map<string, Promise<{ code: number | null; output: string }>>();
  beforeAll(() => {
    for (const [label, file, options] of variants) {
      const dir = join(project, label.replace(/\W+/g, '-'));
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, file), typed);
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({ compilerOptions: { ...options, target: 'es2022', lib: ['es2022'], types: ['node'], strict: true, skipLibCheck: false, noEmit: true }, files: [file] }),
      );
      checks.set(
        label,
        new Promise((resolve) => {
          execFile(join(project, 'node_modules/.bin/tsc'), ['-p', dir], { encoding: 'utf8', timeout: 240_000 }, (error, stdout, stderr) => {
            resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, output: stdout + stderr });
          });
        }),
      );
    }
  });
  for (const [label] of variants) {
    it(`type-checks strictly (skipLibCheck off) as ${label}`, async () => {
      const r = await checks.get(label)!;
      expect(r.output, label).toBe('');
      expect(r.code).toBe(0);
    }, 240_000);
  }
});
