/**
 * DataFrame.query: a parsed expression (query/parse.ts) turned into the frame's own lazy series
 * operations (comparisons, isin, and/or/not) and a filter, so no text is ever evaluated.
 */
import type { DataFrame } from '../frame';
import { checkColumn } from '../meta';
import type { Series } from '../series';
import { parseQuery, type CmpOp, type Literal, type QueryNode } from './parse';

const FLIP: Record<CmpOp, CmpOp> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
const METHOD: Record<CmpOp, 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge'> = { '==': 'eq', '!=': 'ne', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge' };

const M = 'DataFrame.query';

function column(df: DataFrame, name: string): Series {
  checkColumn(M, name, df.columns);
  return df.col(name);
}

function compareWith(s: Series, op: CmpOp, v: Literal): Series {
  if (typeof v === 'string') {
    if (op !== '==' && op !== '!=') throw new TypeError(`${M}: '${s.seriesName}' ${op} ${JSON.stringify(v)}: strings can be compared with == and != only`);
    if (s.typeDesc.id !== 'utf8' && s.typeDesc.id !== 'dict') throw new TypeError(`${M}: column '${s.seriesName}' has dtype ${s.dtype} and cannot be compared with the string ${JSON.stringify(v)}`);
    return s[METHOD[op] as 'eq' | 'ne'](v);
  }
  const x = typeof v === 'boolean' ? Number(v) : v;
  return s[METHOD[op]](x);
}

function boolOf(df: DataFrame, n: QueryNode): Series {
  switch (n.k) {
    case 'and':
      return boolOf(df, n.left).and(boolOf(df, n.right));
    case 'or':
      return boolOf(df, n.left).or(boolOf(df, n.right));
    case 'not':
      return boolOf(df, n.arg).not();
    case 'col': {
      const s = column(df, n.name);
      if (s.typeDesc.id !== 'bool') throw new TypeError(`${M}: column '${n.name}' has dtype ${s.dtype}; alone it must be bool (compare it with a value)`);
      return s;
    }
    case 'cmp': {
      const { left: l, right: r, op } = n;
      if (l.k === 'col' && r.k === 'col') return column(df, l.name)[METHOD[op]](column(df, r.name));
      if (l.k === 'col' && r.k === 'lit') return compareWith(column(df, l.name), op, r.value);
      if (l.k === 'lit' && r.k === 'col') return compareWith(column(df, r.name), FLIP[op], l.value);
      throw new TypeError(`${M}: each comparison needs a column on one side (and a column or a value on the other)`);
    }
    case 'in': {
      if (n.left.k !== 'col' || (n.right.k !== 'list' && n.right.k !== 'lit')) throw new TypeError(`${M}: 'in' needs a column on the left and a list of values on the right`);
      const values = n.right.k === 'list' ? n.right.items : [n.right.value];
      const m = column(df, n.left.name).isin(values);
      return n.negate ? m.not() : m;
    }
    default:
      throw new TypeError(`${M}: a ${n.k === 'lit' ? 'value' : 'list'} alone is not a condition`);
  }
}

export function queryOf(df: DataFrame, expr: string): DataFrame {
  return df.filter(boolOf(df, parseQuery(expr)));
}
