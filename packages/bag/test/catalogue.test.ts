/**
 * The operation catalogue and the reductions table: operations are named in ops/index.ts only,
 * every Bag reduction is a row of the table and builds its tree from that row, and the reverse.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { delayed, isOp, resolveOp, type ArgSpec, type GraphNode, type LayerNode, type OpRef, type TaskNode } from '@pdask/core';
import { describe, expect, it } from 'vitest';
import { Bag, fromSequence, Item } from '../src/index';
import { bagOps } from '../src/ops';
import { REDUCTIONS, type ReductionName } from '../src/reductions/table';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The nodes of the layer that produces a bag or item (its own layer, not its inputs'). */
function ownNodes(x: Bag<unknown> | Item<unknown>): Map<string, GraphNode> {
  const layer: LayerNode = x.layer;
  return new Map([...layer.layer.materialize()].map((n) => [n.key, n]));
}

const fnOf = (a: ArgSpec): OpRef | undefined => (a.t === 'fn' ? a.op : undefined);

describe('the operation catalogue', () => {
  it('no operation is named outside ops/index.ts: no defineOp, no module refs, no toOpRef of built-ins', () => {
    const offences: string[] = [];
    for (const file of sources(SRC)) {
      const rel = relative(SRC, file);
      const text = readFileSync(file, 'utf8');
      const forbid = (re: RegExp, what: string) => {
        if (re.test(text)) offences.push(`${rel}: ${what}`);
      };
      forbid(/\bdefineOp\b/, 'defineOp');
      forbid(/\bopRef\(/, 'opRef(…)');
      forbid(/k:\s*'mod'/, "a { k: 'mod' } literal");
      forbid(/t:\s*'fn'/, "a { t: 'fn' } literal (use fnArg)");
      if (rel !== join('ops', 'index.ts')) {
        forbid(/@pdask\/bag\/ops/, "the catalogue's module name");
        forbid(/\bdefineCatalogue\b/, 'defineCatalogue');
      }
      // toOpRef only for user functions, in the one place that checks them (graph.ts userOp).
      const toOpRefs = text.match(/\btoOpRef\(/g)?.length ?? 0;
      if (toOpRefs > 0 && !(rel === 'graph.ts' && toOpRefs === 1)) offences.push(`${rel}: toOpRef(…) ×${toOpRefs}`);
    }
    expect(offences).toEqual([]);
  });

  it('every entry is a handle named by its key, resolvable as a worker resolves it', async () => {
    const names = Object.keys(bagOps);
    expect(names.length).toBeGreaterThan(40);
    for (const [name, op] of Object.entries(bagOps)) {
      expect(isOp(op)).toBe(true);
      expect(op.ref).toEqual({ k: 'mod', spec: '@pdask/bag/ops', name });
      expect(await resolveOp(op.ref)).toBe(op.fn);
    }
  });

  it('a stale or misspelt operation name fails naming it, where a worker resolves it (the built package)', () => {
    // A fresh process, as a worker: this one has the sources' catalogue registered, not the build's.
    const script = `
      const { resolveOp } = await import('@pdask/core');
      const e = await resolveOp({ k: 'mod', spec: '@pdask/bag/ops', name: 'sumOff' }).catch((e) => e);
      const ok = await resolveOp({ k: 'mod', spec: '@pdask/bag/ops', name: 'sumOf' });
      console.log(JSON.stringify([e.name, e.message, ok([1, 2, 3])]));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    const [name, message, six] = JSON.parse(out) as [string, string, number];
    expect(name).toBe('UnknownOperationError');
    expect(message).toMatch(/^Unknown operation 'sumOff' of '@pdask\/bag\/ops': its catalogue has \d+ operations/);
    expect(six).toBe(6);
  });

  it('tasks are built from handles: partitions of a piped bag run pipePartition', () => {
    const b = fromSequence([1, 2, 3], { npartitions: 3 }).map((x) => x + 1);
    for (const n of ownNodes(b).values()) expect((n as TaskNode).op).toBe(bagOps.pipePartition.ref);
  });
});

/** A sample call of every Bag method that builds something, by method name. */
const SAMPLES: Record<string, (b: Bag<number>) => unknown> = {
  map: (b) => b.map((x) => x + 1),
  starmap: (b) => b.map((x) => [x, x]).starmap((x: number, y: number) => x + y),
  filter: (b) => b.filter((x) => x > 1),
  remove: (b) => b.remove((x) => x > 1),
  flatten: (b) => b.map((x) => [x]).flatten(),
  flatMap: (b) => b.flatMap((x) => [x, x]),
  pluck: (b) => b.map((x) => ({ v: x })).pluck('v'),
  mapPartitions: (b) => b.mapPartitions((p) => p),
  accumulate: (b) => b.accumulate((a, x) => a + x),
  join: (b) => b.join([1, 2], (x) => x),
  product: (b) => b.product(b),
  repartition: (b) => b.repartition(1),
  groupby: (b) => b.groupby((x) => x % 2),
  foldby: (b) => b.foldby((x) => x % 2, (a: number, x) => a + x, 0),
  reduction: (b) => b.reduction((p) => p.length, (xs) => xs.length),
  fold: (b) => b.fold((a, x) => a + x),
  sum: (b) => b.sum(),
  count: (b) => b.count(),
  max: (b) => b.max(),
  min: (b) => b.min(),
  any: (b) => b.any(),
  all: (b) => b.all(),
  mean: (b) => b.mean(),
  var: (b) => b.var(1),
  std: (b) => b.std(),
  frequencies: (b) => b.frequencies(),
  topk: (b) => b.topk(2),
  distinct: (b) => b.distinct(),
  toDelayed: (b) => b.toDelayed(),
  key: (b) => b.key(0),
  toString: (b: Bag<number>) => b.toString(),
  randomSample: (b) => b.randomSample(0.5, { randomState: 1 }),
  unzip: (b) => b.map((x) => [x, x]).unzip(2),
};
/** Methods that compute (they return promises) and so build nothing to inspect. */
const COMPUTING = ['compute', 'persist', 'visualize', 'take', 'toTextFiles', 'toDataFrame'];

function bagMethods(): string[] {
  const names = new Set<string>();
  for (let p = Bag.prototype; p !== Object.prototype; p = Object.getPrototypeOf(p) as typeof Bag.prototype) {
    for (const k of Object.getOwnPropertyNames(p)) if (typeof Object.getOwnPropertyDescriptor(p, k)?.value === 'function') names.add(k);
  }
  for (const k of ['constructor', 'tokenKey', 'computeOptions', 'mapLike', 'filterLike', 'fused']) names.delete(k);
  return [...names];
}

/** Whether a result is a tree reduction of `bag`: its own layer holds `<name>-partial-<i>` tasks. */
function treeOf(x: unknown): Map<string, GraphNode> | undefined {
  if (!(x instanceof Bag) && !(x instanceof Item)) return undefined;
  const nodes = ownNodes(x);
  const name = x instanceof Item ? x.key : x.name;
  return nodes.has(`${name}-partial-0`) ? nodes : undefined;
}

describe('reductions as data', () => {
  const plain = Bag.fromPartitions<number>('plain-data', [[1, 2], [3], [], [4, 5, 6]]);
  const piped = fromSequence([1, 2, 3, 4, 5, 6], { npartitions: 4 }).map((x) => x * 2);

  it('every Bag method has a sample (so the next check sees it)', () => {
    expect(bagMethods().filter((m) => !(m in SAMPLES) && !COMPUTING.includes(m))).toEqual([]);
  });

  it('the methods that build a tree reduction are exactly the rows of the table', () => {
    const reducing = Object.entries(SAMPLES)
      .filter(([, call]) => treeOf(call(plain)) !== undefined)
      .map(([m]) => m)
      .sort();
    expect(reducing).toEqual(Object.keys(REDUCTIONS).sort());
  });

  it.each(Object.keys(REDUCTIONS) as ReductionName[])('%s builds its tree from its row (plain and fused partitions)', (m) => {
    const row = REDUCTIONS[m];
    for (const bag of [plain, piped]) {
      const result = SAMPLES[m](bag as Bag<number>);
      expect(result).toBeInstanceOf(row.returns === 'item' ? Item : Bag);
      const nodes = treeOf(result)!;
      const name = result instanceof Item ? result.key : (result as Bag<unknown>).name;
      for (let i = 0; i < bag.npartitions; i++) {
        const partial = nodes.get(`${name}-partial-${i}`) as TaskNode;
        if (bag.pipe) {
          // Reduced inside the pipeline's pass: the partial step is the pipeline op.
          expect(partial.op).toBe(bagOps.pipeReduce.ref);
          expect(partial.args[5]).toEqual({ t: 'lit', v: row.sink });
          expect(fnOf(partial.args[6])).toBe(row.chunk.ref);
        } else {
          expect(partial.op).toBe(bagOps.reducePart.ref);
          expect(fnOf(partial.args[2])).toBe(row.chunk.ref);
        }
      }
      // Four partitions, splitEvery 8: no combine level, the final step reads every partial.
      const out = nodes.get(result instanceof Item ? name : `${name}-0`) as TaskNode;
      expect(out.op).toBe(bagOps.reduceAggregate.ref);
      expect(fnOf(out.args[1])).toBe((row.final ?? row.combine).ref);
      expect(out.deps).toEqual([0, 1, 2, 3].map((i) => `${name}-partial-${i}`));
    }
  });

  it('splitEvery: core default for bags (8), combine levels keyed by core treeReduce', () => {
    const b = Bag.fromPartitions<number>('twenty', Array.from({ length: 20 }, (_, i) => [i]));
    const nodes = ownNodes(b.sum());
    const name = b.sum().key;
    // 20 partials -> 3 combines (8, 8, 4) -> the output.
    expect([...nodes.keys()].filter((k) => k.startsWith(`${name}-combine0-`))).toHaveLength(3);
    expect((nodes.get(name) as TaskNode).deps).toEqual([0, 1, 2].map((i) => `${name}-combine0-${i}`));
    const flat = b.sum({ splitEvery: false });
    expect([...ownNodes(flat).keys()].filter((k) => k.includes('-combine'))).toEqual([]);
    expect((ownNodes(flat).get(flat.key) as TaskNode).deps).toHaveLength(20);
    // 20 -> 10 -> 5 -> 3 -> 2 -> output with splitEvery 2.
    expect([...ownNodes(b.sum({ splitEvery: 2 })).keys()].filter((k) => k.includes('-combine'))).toHaveLength(10 + 5 + 3 + 2);
  });

  it('a reduction is a collection: computed alone, or passed lazily to delayed', async () => {
    const b = Bag.fromPartitions<number>('lazy', [[1, 2], [], [3]]);
    const add = delayed((a: number, c: number) => a + c);
    expect(await add(b.sum(), b.count()).compute({ scheduler: 'sync' })).toBe(6 + 3);
    const persisted = await b.sum().persist({ scheduler: 'sync' });
    expect(persisted).toBeInstanceOf(Item);
    expect(await persisted.compute({ scheduler: 'sync' })).toBe(6);
  });
});
