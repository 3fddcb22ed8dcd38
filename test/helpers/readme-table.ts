/**
 * Reading a package README's spelling table (the README-table tests of array and bag): the code
 * spans of its pdask column, the `root.a.b` paths they name, and the public members of a class.
 */

/** The code spans of the pdask column (the second) of the table under `heading`. */
export function pdaskColumn(readme: string, heading: string): string {
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no section '${heading}'`);
  const end = readme.indexOf('\n## ', start + heading.length + 2);
  const rows = readme
    .slice(start, end < 0 ? undefined : end)
    .split('\n')
    .filter((l) => l.startsWith('|') && !/^\|[-| ]+\|$/.test(l));
  const cells = rows.slice(1).map((r) => r.split(/(?<!\\)\|/)[2] ?? '');
  return cells.map((c) => [...c.matchAll(/`([^`]+)`/g)].map((m) => m[1]).join(' ')).join('\n');
}

/** `root.a.b` paths named in the code (root may itself be dotted, e.g. `b.str`). */
export const dottedPaths = (code: string, root: string): Set<string> =>
  new Set([...code.matchAll(new RegExp(`(?<![\\w$.])${root.replace(/\./g, '\\.')}\\.((?:[A-Za-z_$][\\w$]*\\.)*[A-Za-z_$][\\w$]*)`, 'g'))].map((m) => m[1]));

/** Own methods and getters of a class and of its bases up to (not including) `stop`, minus `internal`. */
export function members(cls: { prototype: object }, internal: readonly string[], stop: object = Object.prototype): string[] {
  const out = new Set<string>();
  for (let p: object | null = cls.prototype; p && p !== stop; p = Object.getPrototypeOf(p)) {
    for (const k of Object.getOwnPropertyNames(p)) if (!internal.includes(k)) out.add(k);
  }
  return [...out].sort();
}
