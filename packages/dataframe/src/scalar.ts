/** A lazy single value (Dask's Scalar): the result of a series reduction or `len`. */
import { SingleKeyCollection, type LayerNode } from '@pdask/core';

export class Scalar<T> extends SingleKeyCollection<T> {
  protected withLayer(layer: LayerNode): Scalar<T> {
    return new Scalar<T>(this.key, layer);
  }

  toString(): string {
    return `Scalar('${this.key}')`;
  }
}
