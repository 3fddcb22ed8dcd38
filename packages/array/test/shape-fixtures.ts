/** The references of make_shape_routines.py (shape_routines.json) and helpers to read them. */
import { readFileSync } from 'node:fs';
import { NDArray } from '../src/ndarray';
import { decode, expectClose, type Enc } from './helpers';

interface ShapeFixtures {
  inputs: Record<string, Enc>;
  cases: Record<string, Enc | { list: Enc[] }>;
}

export const shapeFixtures = JSON.parse(readFileSync(new URL('./fixtures/shape_routines.json', import.meta.url), 'utf8')) as ShapeFixtures;

/** An input of the fixture as an NDArray of its dtype (bool, int32 or float64). */
export function shapeInput(name: string): NDArray {
  const e = shapeFixtures.inputs[name];
  const values = decode(e);
  if (e.dtype === 'bool') return new NDArray(Uint8Array.from(values), e.shape, 'bool');
  if (e.dtype === 'int32') return new NDArray(Int32Array.from(values), e.shape, 'int32');
  return new NDArray(Float64Array.from(values), e.shape, 'float64');
}

export function ref(name: string): Enc {
  const c = shapeFixtures.cases[name];
  if (!c) throw new Error(`no fixture case '${name}'`);
  if ('list' in c) throw new Error(`fixture case '${name}' is a list`);
  return c;
}

export function refList(name: string): Enc[] {
  const c = shapeFixtures.cases[name];
  if (!c || !('list' in c)) throw new Error(`no list fixture case '${name}'`);
  return c.list;
}

/** Values and shape as NumPy's; the dtype too when `dtype` is given. */
export function expectRef(actual: unknown, name: string, dtype?: string): void {
  expectClose(actual, ref(name));
  if (dtype && actual instanceof NDArray) {
    if (actual.dtype !== dtype) throw new Error(`${name}: dtype ${actual.dtype}, want ${dtype}`);
  }
}
