/**
 * A batch's rows in the order of one numeric column: sortPieces' common case (setIndex and
 * sortValues by one number column). The key column is read where the pieces lie when it is
 * float64 without nulls, and every column without nulls is gathered straight from its values;
 * the working arrays are the thread's scratch ones (see sort-scratch.ts).
 */
import { DataType, Precision, type Vector } from 'apache-arrow';
import { batchOf, type Batch } from './part';
import { sortCarrying } from './sort-carry';
import { keysOrder } from './sort-numbers';
import { scratch } from './sort-scratch';
import { settleWideInts } from './sort-wide-ints';
import { gatherNumbers, isPlainNumbers, numbersOf } from './take-numbers';
import { takeRows, toFloat64 } from './values';

export function sortByNumbers(b: Batch, key: Vector, ascending: boolean): Batch {
  const carried = sortCarrying(b, key, ascending);
  if (carried) return carried;
  const t = key.type as DataType;
  const plainKey = DataType.isFloat(t) && t.precision === Precision.DOUBLE && isPlainNumbers(key);
  const keys = plainKey ? (numbersOf(key, 'sort-keys') as Float64Array) : toFloat64(key);
  const order = settleWideInts(key, keys, keysOrder(keys, ascending, scratch(Int32Array, 'sort-order', keys.length)), ascending);
  const vectors = b.vectors.map((v) => {
    if (v === key && plainKey) return gatherNumbers(keys, order, v.type as DataType);
    return isPlainNumbers(v) ? gatherNumbers(numbersOf(v, 'sort-column'), order, v.type as DataType) : takeRows(v, order);
  });
  return batchOf(b.names, vectors);
}
