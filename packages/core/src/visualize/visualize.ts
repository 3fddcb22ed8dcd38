import { checkOptions, type OptionSchema } from '../options/options';
import { nodeBuiltin } from '../platform/node-builtins';
import { collectionsToGraph } from '../collection/compute';
import { collectionSymbol, type Collection } from '../collection/protocol';
import * as config from '../config/config';
import { orderIndexed } from '../order/order';
import { toDot, type DotOptions } from './dot';

export interface VisualizeOptions {
  /** Write the drawing here; '.dot'/'.gv' writes DOT, anything else SVG. */
  filename?: string;
  /** What to return (default: from the filename's extension, else 'svg'). */
  format?: 'svg' | 'dot';
  /** 'order' colours tasks by the order they will run in. */
  color?: DotOptions['color'];
  rankdir?: DotOptions['rankdir'];
  /** Draw the optimised (fused) graph instead of the graph as built. */
  optimizeGraph?: boolean;
}

interface Renderer {
  renderString(dot: string, opts: { format: 'svg' }): string;
}

let viz: Promise<Renderer> | undefined;

/** The error of drawing SVG without the optional renderer installed. */
export class RendererMissingError extends Error {
  override name = 'RendererMissingError';
}

/**
 * Graphviz compiled to WebAssembly (no system Graphviz needed). It is an optional dependency of
 * @pdask/core (4.9 MB, only for drawing), loaded on the first SVG asked for.
 */
async function loadRenderer(): Promise<Renderer> {
  let mod: { instance: () => Promise<Renderer> };
  try {
    mod = (await import('@viz-js/viz')) as unknown as { instance: () => Promise<Renderer> };
  } catch (e) {
    throw new RendererMissingError(
      `visualize() draws SVG with the optional package @viz-js/viz, which is not installed (${(e as Error).message.split('\n')[0]}). ` +
        "Install it (npm install @viz-js/viz), or ask for the graph as Graphviz text: visualize({ format: 'dot' }).",
    );
  }
  return mod.instance();
}

/**
 * Writes the drawing through node:fs, looked up when used (`process.getBuiltinModule`) so that a
 * page's bundle holds no Node built-in; in a browser `filename` is refused by name.
 */
/** Renders DOT to SVG (see loadRenderer). */
export async function renderSvg(dot: string): Promise<string> {
  // A failed load is not kept: installing the package later in the same process then works.
  viz ??= loadRenderer().catch((e: unknown) => {
    viz = undefined;
    throw e;
  });
  return (await viz).renderString(dot, { format: 'svg' });
}

/**
 * Draws the task graph of one or more collections (`dask.visualize`). Returns the SVG (or DOT)
 * text and writes it to `filename` when given.
 */
const VISUALIZE_OPTIONS: OptionSchema<VisualizeOptions> = {
  filename: 'string',
  format: { oneOf: ['svg', 'dot'] },
  color: { oneOf: ['none', 'order'] },
  rankdir: { oneOf: ['BT', 'TB', 'LR', 'RL'] },
  optimizeGraph: 'boolean',
};

export async function visualize(collections: readonly Collection<unknown>[], opts: VisualizeOptions = {}): Promise<string> {
  checkOptions('visualize', opts, VISUALIZE_OPTIONS);
  const { graph } = collectionsToGraph(
    collections.map((c) => c[collectionSymbol]()),
    { optimizeGraph: opts.optimizeGraph ?? false },
  );
  const color = opts.color ?? (config.get<string>('visualize.color') as DotOptions['color']);
  let priority: Map<string, number> | undefined;
  if (color === 'order') {
    const p = orderIndexed(graph);
    priority = new Map(graph.nodes.map((n, i) => [n.key, p[i]]));
  }
  const dot = toDot(graph.toGraph(), { color, rankdir: opts.rankdir, priority });
  const ext = opts.filename?.split('.').pop()?.toLowerCase();
  const format = opts.format ?? (ext === 'dot' || ext === 'gv' ? 'dot' : 'svg');
  const text = format === 'dot' ? dot : await renderSvg(dot);
  if (opts.filename) {
    const fileText = ext === 'dot' || ext === 'gv' ? dot : format === 'svg' ? text : await renderSvg(dot);
    const { writeFile } = nodeBuiltin<typeof import('node:fs/promises')>('node:fs/promises', `visualize({ filename: '${opts.filename}' })`);
    await writeFile(opts.filename, fileText);
  }
  return text;
}
