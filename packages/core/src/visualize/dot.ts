import { checkOptions, type OptionSchema } from '../options/options';
import type { Graph, GraphNode, Key } from '../graph/spec';
import { opName } from '../graph/spec';

export interface DotOptions {
  /** 'order': fill each node by its execution priority (blue first, red last). */
  color?: 'none' | 'order';
  priority?: ReadonlyMap<Key, number>;
  /** Graphviz rank direction; Dask draws bottom-to-top. */
  rankdir?: 'BT' | 'TB' | 'LR' | 'RL';
}

const TOKEN = /([0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/;

/** Replaces long hashes in keys by short numbered marks ("add-#0"), as Dask's graphs do. */
function keyLabeler(): (k: Key) => string {
  const tokens = new Map<string, number>();
  return (k) =>
    k.replace(new RegExp(TOKEN, 'g'), (t) => {
      let i = tokens.get(t);
      if (i === undefined) tokens.set(t, (i = tokens.size));
      return `#${i}`;
    });
}

const quote = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

function functionLabel(node: GraphNode): string | undefined {
  if (node.kind === 'task') return opName(node.op);
  if (node.kind === 'fused') {
    return node.members
      .filter((m) => m.kind === 'task')
      .map((m) => (m.kind === 'task' ? opName(m.op) : ''))
      .join('-');
  }
  return undefined;
}

/** Blue (first) to red (last), through purple. */
function orderColor(p: number, max: number): string {
  const t = max > 0 ? p / max : 0;
  const r = Math.round(40 + 200 * t);
  const b = Math.round(240 - 200 * t);
  const hex = (v: number): string => v.toString(16).padStart(2, '0');
  return `#${hex(r)}${hex(70)}${hex(b)}`;
}

/**
 * The graph in Graphviz DOT, drawn like Dask's: each task is a circle (its function) feeding a
 * box (its result key); inputs point into the functions that read them.
 */
const DOT_OPTIONS: OptionSchema<DotOptions> = {
  color: { oneOf: ['none', 'order'] },
  priority: (v) => (v instanceof Map ? undefined : 'a Map of key to priority'),
  rankdir: { oneOf: ['BT', 'TB', 'LR', 'RL'] },
};

export function toDot(graph: Graph, opts: DotOptions = {}): string {
  checkOptions('toDot', opts, DOT_OPTIONS);
  const label = keyLabeler();
  const lines = [`digraph pdask {`, `  graph [rankdir=${opts.rankdir ?? 'BT'}];`, `  node [fontname="Helvetica"];`];
  const maxP = opts.priority ? Math.max(0, ...opts.priority.values()) : 0;
  const fill = (k: Key): string => {
    if (opts.color !== 'order' || !opts.priority?.has(k)) return '';
    return `, style=filled, fillcolor=${quote(orderColor(opts.priority.get(k)!, maxP))}, fontcolor="white"`;
  };
  for (const node of graph.values()) {
    const box = quote(node.key);
    const fnLabel = functionLabel(node);
    lines.push(`  ${box} [label=${quote(label(node.key))}, shape=box${fill(node.key)}];`);
    if (fnLabel !== undefined) {
      const fn = quote(`function:${node.key}`);
      const extra = opts.priority?.has(node.key) && opts.color === 'order' ? `, tooltip=${quote(`priority ${opts.priority.get(node.key)}`)}` : '';
      lines.push(`  ${fn} [label=${quote(fnLabel)}, shape=circle${fill(node.key)}${extra}];`);
      lines.push(`  ${fn} -> ${box};`);
      for (const d of node.deps) lines.push(`  ${quote(d)} -> ${fn};`);
    }
  }
  lines.push('}');
  return lines.join('\n');
}
