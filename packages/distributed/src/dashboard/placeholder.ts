/** The page served when the pages' bundle is not built: what the dashboard offers, as plain links. */
export function PLACEHOLDER_HTML(page: string, staticDir: string): string {
  const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>pdask dashboard · ${esc(page)}</title></head>
<body style="font-family: sans-serif; max-width: 48em; margin: 2em auto">
<h1>pdask dashboard</h1>
<p>The pages are not built in this installation (no <code>${esc(staticDir)}</code>); the live data is served:</p>
<ul>
<li><a href="api/snapshot">api/snapshot</a>: the current state as JSON</li>
<li><a href="api/events">api/events</a>: live frames (server-sent events)</li>
<li><a href="metrics">metrics</a>: Prometheus metrics</li>
<li><a href="health">health</a></li>
</ul>
</body></html>
`;
}
