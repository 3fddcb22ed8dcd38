/** A lazy single value (Dask's Scalar): the result of a series reduction or `len`. */
import { CollectionBase, SingleKeyCollection, type ComputeOptions, type LayerNode, type VisualizeOptions } from '@pdask/core';
import type { Expr } from './expr/nodes';
import { chooseFrameScheduler } from './inline';

/** The query planner's step for a scalar (registered by expr/planner.ts). */
interface ScalarPlanner {
  plan(s: Scalar<unknown>): Promise<Scalar<unknown>>;
  explain(s: Scalar<unknown>): string;
}
let scalarPlanner: ScalarPlanner | undefined;

/** @internal */
export function registerScalarPlanner(p: ScalarPlanner): void {
  scalarPlanner = p;
}

export class Scalar<T> extends SingleKeyCollection<T> {
  protected withLayer(layer: LayerNode): Scalar<T> {
    return new Scalar<T>(this.key, layer);
  }

  toString(): string {
    return `Scalar('${this.key}')`;
  }

  /** @internal The logical plan of the reduction (undefined: run as built). */
  expr?: Expr;

  private planned(): Promise<Scalar<T>> {
    return scalarPlanner && this.expr ? (scalarPlanner.plan(this) as Promise<Scalar<T>>) : Promise.resolve(this);
  }

  /** Optimises the plan of its input (see DataFrame.explain()), then runs the graph. */
  override async compute(opts: ComputeOptions = {}): Promise<T> {
    const c = await this.planned();
    return c === this ? super.compute(opts) : (CollectionBase.prototype.compute.call(c, opts) as Promise<T>);
  }

  override async persist(opts: ComputeOptions = {}): Promise<this> {
    const c = await this.planned();
    return (c === this ? super.persist(opts) : CollectionBase.prototype.persist.call(c, opts)) as Promise<this>;
  }

  override async visualize(opts: VisualizeOptions = {}): Promise<string> {
    const c = await this.planned();
    return c === this ? super.visualize(opts) : CollectionBase.prototype.visualize.call(c, opts);
  }

  /** The plan before and after optimisation (see the README's "Query planning"); empty when it has none. */
  explain(): string {
    return scalarPlanner && this.expr ? scalarPlanner.explain(this) : '';
  }

  /** Without a `scheduler`, a reduction of small in-memory frames runs in the calling thread (inline.ts). */
  protected override computeOptions(opts: ComputeOptions, persist: boolean): ComputeOptions {
    return chooseFrameScheduler([this.layer], opts, persist);
  }
}
