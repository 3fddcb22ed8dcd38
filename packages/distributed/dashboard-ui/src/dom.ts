/** Tiny DOM helpers: the pages build a few dozen elements, not worth a framework. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | undefined> = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, String(v));
  for (const c of children) if (c !== null && c !== undefined) el.append(c);
  return el;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
}

/** The shared header: links to every page, the current one marked, and the connection state. */
export function header(current: string, title = 'pdask dashboard'): HTMLElement {
  const pages = ['status', 'workers', 'graph', 'exceptions'];
  return h(
    'header',
    {},
    h('span', { class: 'brand' }, title),
    h('nav', {}, ...pages.map((p) => h('a', { href: p, class: p === current ? 'current' : undefined }, p[0].toUpperCase() + p.slice(1)))),
    h('span', { id: 'conn', class: 'conn' }, 'connecting…'),
  );
}
