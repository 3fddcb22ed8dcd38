/**
 * One self-contained HTML file for a performance report: the report page's bundled script and
 * stylesheet (dist/dashboard/report.{js,css}, made by the package build) inlined, and the recorded
 * frames embedded as JSON. Nothing is fetched when the file is opened.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Frame } from './protocol';

export interface ReportData {
  version: 1;
  title: string;
  start: number;
  stop: number;
  frames: Frame[];
}

/** The id of the JSON element the report page reads (dashboard-ui/src/report-data.ts). */
const DATA_ID = 'pdask-report-data';

/** dist/dashboard/ beside the built module (dist/*.js), or the package's dist/ from the sources. */
export function dashboardAssetsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'dashboard'), join(here, '..', '..', 'dist', 'dashboard')];
  const found = candidates.find((d) => existsSync(join(d, 'report.js')));
  if (!found) {
    throw new Error(`performanceReport: the report page is not built (looked for report.js in ${candidates.join(', ')}): run \`npm run build -w packages/distributed\``);
  }
  return found;
}

/** Text safe inside a `<script>` element: no `</script`, no `<!--`. */
function scriptSafe(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}

export function reportHtml(data: ReportData, assets = dashboardAssetsDir()): string {
  const js = readFileSync(join(assets, 'report.js'), 'utf8');
  const css = readFileSync(join(assets, 'report.css'), 'utf8');
  // JSON inside the script element: `<` as \u003c keeps the element closed only by its own tag.
  const json = JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(data.title)}</title>
<link rel="icon" href="data:,">
<style>
${css.replace(/<\/(style)/gi, '<\\/$1')}
</style>
</head>
<body data-page="report">
<script type="application/json" id="${DATA_ID}">${json}</script>
<script>
${scriptSafe(js)}
</script>
</body>
</html>
`;
}
