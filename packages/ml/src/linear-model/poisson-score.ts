/** D² for Poisson deviance: 1 − D(y, μ) / D(y, ȳ), with D the summed deviance 2 Σ (y log(y/μ) − y + μ) (y log y = 0 at y = 0). */
import { divide, log, mean, multiply, subtract, sum, where, greater, type ChunkedArray, type NDArray } from '@pdask/array';
import { compute, type ComputeOptions } from '@pdask/core';
import { scheduleFor } from '../graph/schedule';

export async function d2PoissonScore(y: ChunkedArray<unknown>, mu: ChunkedArray<NDArray>, opts: ComputeOptions): Promise<number> {
  const ylogy = (m: ChunkedArray<NDArray> | number) => where(greater(y, 0), multiply(y, log(divide(where(greater(y, 0), y, 1), m))), 0);
  const dev = sum(add3(ylogy(mu), subtract(mu, y)));
  const ybar = (await compute(mean(y), scheduleFor([y], opts))) as [number];
  const null0 = sum(add3(ylogy(ybar[0]), subtract(ybar[0], y)));
  const [a, b] = (await compute(dev, null0, scheduleFor([y], opts))) as [number, number];
  return 1 - a / b;
}

function add3(a: ChunkedArray<NDArray>, b: ChunkedArray<NDArray>): ChunkedArray<NDArray> {
  return a.add(b) as ChunkedArray<NDArray>;
}
