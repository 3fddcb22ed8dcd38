// Bundles the dashboard's pages (dashboard-ui/src) into dist/dashboard/: one self-contained script
// and stylesheet per page (uPlot and dagre inside, nothing fetched from elsewhere), and the HTML
// that loads them. Run by tsup's onSuccess (tsup.config.ts) and on its own: `node dashboard-ui/build.mjs`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, '..');

/** Pages served by the dashboard; `report` is inlined into performance-report files instead. */
export const PAGES = ['index', 'status', 'workers', 'graph', 'exceptions'];

function html(page) {
  const title = page === 'index' ? 'pdask dashboard' : `pdask · ${page}`;
  // Relative URLs: the page works under /status as under /status.html or a prefix.
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${page}.css">
</head>
<body data-page="${page}">
<script src="${page}.js"></script>
</body>
</html>
`;
}

export async function buildDashboard({ typecheck = true } = {}) {
  const out = join(pkg, 'dist/dashboard');
  mkdirSync(out, { recursive: true });
  if (typecheck) {
    // esbuild does not check types; the pages are outside the repo's root tsconfig (DOM code).
    const tsc = join(pkg, '../../node_modules/typescript/bin/tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', join(here, 'tsconfig.json')], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('dashboard-ui: type errors (see above)');
  }
  await build({
    entryPoints: Object.fromEntries([...PAGES, 'report'].map((p) => [p, join(here, 'src', `${p}.ts`)])),
    outdir: out,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome100', 'firefox100', 'safari15'],
    minify: true,
    legalComments: 'eof',
    charset: 'utf8',
    logLevel: 'warning',
  });
  for (const page of PAGES) writeFileSync(join(out, `${page}.html`), html(page));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildDashboard({ typecheck: !process.argv.includes('--no-typecheck') });
}
