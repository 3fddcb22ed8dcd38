/**
 * The release check (`npm run release:check`): everything `npm run release` (lerna publish) relies
 * on, verified without publishing. Every package carries lerna.json's version, depends on its
 * siblings at exactly that version, has the metadata npm shows, and `npm publish --dry-run` accepts
 * it; the changelog of the release is printed from the commits since the last version tag, grouped
 * by package. Exits non-zero with one line per problem.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  repository?: { url?: string; directory?: string };
  homepage?: string;
  keywords?: string[];
  files?: string[];
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  publishConfig?: { access?: string };
}

export interface ReleaseReport {
  version: string;
  packages: string[];
  problems: string[];
  changelog: string;
}

function git(root: string, args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
}

/** Commits since the last `v*` tag (all of them before the first release), by package folder. */
function changelog(root: string, dirs: readonly string[]): string {
  let since = '';
  try {
    since = git(root, ['describe', '--tags', '--abbrev=0', '--match', 'v*']);
  } catch {
    since = '';
  }
  const range = since ? [`${since}..HEAD`] : [];
  const lines: string[] = [];
  for (const dir of dirs) {
    let log = '';
    try {
      log = git(root, ['log', '--format=- %s (%h)', ...range, '--', `packages/${dir}`]);
    } catch {
      // A repository with no commits yet has nothing to list.
    }
    if (!log) continue;
    const entries = log.split('\n');
    lines.push(`## @pdask/${dir}`, ...entries.slice(0, 40), ...(entries.length > 40 ? [`- … and ${entries.length - 40} more`] : []), '');
  }
  return lines.join('\n');
}

export function releaseCheck(opts: { dryRunPublish?: boolean; root?: string } = {}): ReleaseReport {
  const root = opts.root ?? ROOT;
  const version = (JSON.parse(readFileSync(join(root, 'lerna.json'), 'utf8')) as { version: string }).version;
  const dirs = readdirSync(join(root, 'packages')).filter((d) => existsSync(join(root, 'packages', d, 'package.json')));
  const manifests = new Map(dirs.map((d) => [d, JSON.parse(readFileSync(join(root, 'packages', d, 'package.json'), 'utf8')) as Manifest]));
  const names = new Set([...manifests.values()].map((m) => m.name));
  const problems: string[] = [];
  for (const [dir, m] of manifests) {
    const where = `packages/${dir}/package.json`;
    if (m.version !== version) problems.push(`${where}: version ${m.version}, lerna.json says ${version}`);
    if (m.private) problems.push(`${where}: private, so it cannot be published`);
    if (m.publishConfig?.access !== 'public') problems.push(`${where}: a scoped package needs publishConfig.access 'public'`);
    for (const field of ['license', 'homepage'] as const) if (!m[field]) problems.push(`${where}: no '${field}'`);
    if (!m.repository?.url || m.repository.directory !== `packages/${dir}`) problems.push(`${where}: 'repository' must name the repository and the folder packages/${dir}`);
    if (!m.keywords?.length) problems.push(`${where}: no 'keywords'`);
    if (!m.files?.includes('LICENSE') || !existsSync(join(root, 'packages', dir, 'LICENSE'))) problems.push(`${where}: LICENSE missing from the package`);
    for (const [dep, range] of Object.entries({ ...m.dependencies, ...m.peerDependencies })) {
      if (names.has(dep) && range !== version) problems.push(`${where}: depends on ${dep}@${range}, not the release version ${version}`);
    }
    if (opts.dryRunPublish) {
      try {
        execFileSync('npm', ['publish', '--dry-run', '--ignore-scripts', '--silent'], { cwd: join(root, 'packages', dir), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (e) {
        problems.push(`packages/${dir}: npm publish --dry-run failed: ${String((e as { stderr?: string }).stderr ?? e).split('\n').find((l) => /err/i.test(l)) ?? e}`);
      }
    }
  }
  return { version, packages: [...names].sort(), problems, changelog: changelog(root, dirs) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const report = releaseCheck({ dryRunPublish: true });
  console.log(`Release ${report.version}: ${report.packages.join(', ')}\n`);
  console.log(report.changelog);
  if (report.problems.length) {
    console.error(`${report.problems.length} problem(s):\n${report.problems.map((p) => `- ${p}`).join('\n')}`);
    process.exit(1);
  }
  console.log('Ready: `npm run release` publishes every package (lerna publish from-package) for whoever holds the npm account.');
}
