/**
 * Graph building blocks shared by every bag operation: the layer type, partition keys, and the
 * conversion of user arguments (functions, keys, other bags, lazy values) into task arguments.
 */
import {
  fnArg,
  isCollection,
  isModuleFunction,
  lit,
  ref,
  toArgSpec,
  toOpRef,
  UnshippableFunctionError,
  type Arg,
  type ArgSpec,
  type LayerNode,
  type ModuleFunction,
  type OpFunction,
  type OpRef,
} from '@pdask/core';

/** One bag operation's tasks, generated when the graph is materialised (not when built). */
export { GeneratedLayer as BagLayer } from '@pdask/core';

/** The key of partition `i` of the bag called `name`. */
export const partitionKey = (name: string, i: number): string => `${name}-${i}`;

/** A function given to a bag method: a plain (self-contained) function or a module reference. */
export type UserFunction<F extends OpFunction> = F | ModuleFunction<F>;

export function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (isCollection(x)) return 'a lazy collection';
  return typeof x === 'object' ? 'an object' : `${typeof x} ${JSON.stringify(x) ?? String(x)}`;
}

/**
 * The shippable reference of a user function, checked now (at graph construction). A function
 * that captures variables is refused with the names and a bag-specific way out.
 */
export function userOp(fn: unknown, method: string, role = 'function'): OpRef {
  if (typeof fn !== 'function' && !isModuleFunction(fn)) {
    throw new TypeError(`Bag.${method}: expected a ${role} (or fromModule(...)), got ${describe(fn)}`);
  }
  try {
    // Core caches checked functions by object and by source text (inline arrows are new objects).
    return toOpRef(fn as OpFunction | ModuleFunction);
  } catch (e) {
    if (!(e instanceof UnshippableFunctionError) || e.captured.length === 0) throw e;
    const names = e.captured.map((c) => `'${c}'`).join(', ');
    const vars = e.captured.join(', ');
    throw new UnshippableFunctionError(
      `Bag.${method}: the ${role} ${e.functionName ? `'${e.functionName}' ` : ''}captures ${names} from its enclosing scope, which a worker thread does not have. ` +
        `Pass ${e.captured.length > 1 ? 'them' : 'it'} as extra arguments after the function instead, e.g. ` +
        `bag.map((x, ${vars}) => ..., ${vars}) (map, filter, remove, flatMap, starmap and mapPartitions take extra arguments; ` +
        `a bag given there is read element-wise, a lazy value is computed first), or export the function from a module and use fromModule(specifier, exportName).`,
      e.functionName,
      e.captured,
    );
  }
}

/** A user function as a task argument (checked as userOp checks it). */
export const userFnArg = (fn: unknown, method: string, role?: string): Arg<never> => fnArg(userOp(fn, method, role));

/** A grouping/sorting key: a function of the element, or a property name / index. */
export type KeySpec<T> = UserFunction<(x: T) => unknown> | string | number;

export function keyArg(key: unknown, method: string): ArgSpec {
  if (typeof key === 'string' || typeof key === 'number') return lit(key);
  return userFnArg(key, method, 'key function');
}

/** Where another bag's partitions come from, for operations that combine bags partition-wise. */
export interface PartitionSource {
  readonly name: string;
  readonly npartitions: number;
  readonly layer: LayerNode;
}

/**
 * Extra arguments of map-like methods: other bags are read partition by partition (and, in
 * map/filter, element by element); anything else is passed to every call (lazy values computed
 * first, found inside arrays and objects too).
 */
export class ExtraArgs {
  readonly zip: boolean[];
  private readonly fixed: (ArgSpec | PartitionSource)[];

  constructor(
    args: readonly unknown[],
    npartitions: number,
    method: string,
    readonly parents: LayerNode[],
    isBag: (x: unknown) => x is PartitionSource,
  ) {
    this.zip = args.map((a) => isBag(a));
    this.fixed = args.map((a) => {
      if (!isBag(a)) return toArgSpec(a, parents);
      if (a.npartitions !== npartitions) {
        throw new Error(`Bag.${method}: the bags have ${npartitions} and ${a.npartitions} partitions; bags combined element-wise must be partitioned identically (see repartition)`);
      }
      parents.push(a.layer);
      return a;
    });
  }

  get length(): number {
    return this.fixed.length;
  }

  /** The arguments of partition `i`, as one array argument. */
  at(i: number): ArgSpec {
    if (this.fixed.length === 0) return EMPTY;
    return { t: 'arr', items: this.fixed.map((a) => ('t' in a ? a : ref(partitionKey(a.name, i)))) };
  }

  /** What identifies these arguments in a token. */
  token(): unknown {
    return this.fixed.map((a) => ('t' in a ? a : a.name));
  }
}

const EMPTY: ArgSpec = lit([]);
