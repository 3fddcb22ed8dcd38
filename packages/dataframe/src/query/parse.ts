/**
 * The subset of pandas' query grammar pdask evaluates (no eval): comparisons (==, !=, <, <=, >,
 * >=, chained as in Python), `in` / `not in` a list, `and`/`or`/`not` (and `&`, `|`, `~`),
 * parentheses, column names (bare, or in backticks), numbers, strings, True/False. Anything else
 * (arithmetic, attributes, calls, `@` variables) is refused by name.
 */
export type Literal = number | string | boolean;

export type QueryNode =
  | { k: 'col'; name: string }
  | { k: 'lit'; value: Literal }
  | { k: 'list'; items: Literal[] }
  | { k: 'cmp'; op: CmpOp; left: QueryNode; right: QueryNode }
  | { k: 'in'; negate: boolean; left: QueryNode; right: QueryNode }
  | { k: 'and' | 'or'; left: QueryNode; right: QueryNode }
  | { k: 'not'; arg: QueryNode };

export type CmpOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

type Tok = { t: 'num'; v: number; at: number } | { t: 'str'; v: string; at: number } | { t: 'id'; v: string; at: number } | { t: 'op'; v: string; at: number };

export class QuerySyntaxError extends SyntaxError {}

const REFUSED: Readonly<Record<string, string>> = {
  '+': 'arithmetic', '-': 'arithmetic', '*': 'arithmetic', '/': 'arithmetic', '//': 'arithmetic', '%': 'arithmetic', '**': 'arithmetic',
  '@': 'local variables (@name)', '.': 'attribute access', '^': "'^'", '=': "assignment ('=')", ',': "',' outside a list",
};

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const fail = (msg: string, at: number): never => {
    throw new QuerySyntaxError(`query: ${msg} at position ${at} of ${JSON.stringify(src)}`);
  };
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const at = i;
    const prev = out[out.length - 1];
    // A minus sign is a negative number's where a value may start (not after a value: that is arithmetic).
    const valueMayStart = !prev || (prev.t === 'op' && prev.v !== ')' && prev.v !== ']') || (prev.t === 'id' && prev.at >= 0 && KEYWORDS.has(prev.v));
    const num = (valueMayStart ? /^(-?\s*(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))/ : /^(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)/).exec(src.slice(i));
    if (num) {
      out.push({ t: 'num', v: Number(num[1].replace(/\s+/g, '')), at });
      i += num[1].length;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) {
          const e = src[j + 1];
          s += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          j += 2;
        } else s += src[j++];
      }
      if (j >= src.length) fail('unterminated string', at);
      out.push({ t: 'str', v: s, at });
      i = j + 1;
    } else if (c === '`') {
      const j = src.indexOf('`', i + 1);
      if (j < 0) fail('unterminated `column name`', at);
      out.push({ t: 'id', v: src.slice(i + 1, j), at: -1 - at });
      i = j + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_]\w*/.exec(src.slice(i))![0];
      out.push({ t: 'id', v: m, at });
      i += m.length;
    } else {
      const two = src.slice(i, i + 2);
      const op = ['==', '!=', '<=', '>=', '**', '//'].includes(two) ? two : c;
      if (!['==', '!=', '<=', '>=', '<', '>', '(', ')', '[', ']', ',', '&', '|', '~'].includes(op)) {
        fail(REFUSED[op] ? `${REFUSED[op]} ('${op}') is not supported (pdask's query takes comparisons, in, and/or/not)` : `unexpected '${op}'`, at);
      }
      out.push({ t: 'op', v: op, at });
      i += op.length;
    }
  }
  return out;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'True', 'False', 'None', 'is']);

export function parseQuery(src: string): QueryNode {
  if (typeof src !== 'string') throw new TypeError(`query: expected an expression string, got ${typeof src}`);
  const toks = tokenize(src);
  let p = 0;
  const peek = (): Tok | undefined => toks[p];
  const fail = (msg: string, tok = peek()): never => {
    throw new QuerySyntaxError(`query: ${msg} ${tok ? `at position ${tok.at < 0 ? -1 - tok.at : tok.at}` : 'at the end'} of ${JSON.stringify(src)}`);
  };
  const isKw = (v: string): boolean => {
    const t = peek();
    return !!t && t.t === 'id' && t.at >= 0 && t.v === v;
  };
  const isOp = (v: string): boolean => {
    const t = peek();
    return !!t && t.t === 'op' && t.v === v;
  };
  const expect = (v: string): void => {
    if (!isOp(v)) fail(`expected '${v}'`);
    p++;
  };

  function orExpr(): QueryNode {
    let left = andExpr();
    while (isKw('or') || isOp('|')) {
      p++;
      left = { k: 'or', left, right: andExpr() };
    }
    return left;
  }
  function andExpr(): QueryNode {
    let left = notExpr();
    while (isKw('and') || isOp('&')) {
      p++;
      left = { k: 'and', left, right: notExpr() };
    }
    return left;
  }
  function notExpr(): QueryNode {
    if (isKw('not') || isOp('~')) {
      p++;
      return { k: 'not', arg: notExpr() };
    }
    return comparison();
  }
  function cmpOp(): { op: CmpOp } | { in: boolean } | null {
    const t = peek();
    if (!t) return null;
    if (t.t === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.v)) {
      p++;
      return { op: t.v as CmpOp };
    }
    if (isKw('in')) {
      p++;
      return { in: false };
    }
    if (isKw('not') && toks[p + 1]?.t === 'id' && toks[p + 1].v === 'in') {
      p += 2;
      return { in: true };
    }
    if (isKw('is')) fail("'is' is not supported (use == / !=; missing values never compare equal)");
    return null;
  }
  function comparison(): QueryNode {
    let left = operand();
    let out: QueryNode | null = null;
    for (let o = cmpOp(); o; o = cmpOp()) {
      const right = operand();
      const node: QueryNode = 'op' in o ? { k: 'cmp', op: o.op, left, right } : { k: 'in', negate: o.in, left, right };
      // Python chains comparisons: a < b < c is a < b and b < c.
      out = out ? { k: 'and', left: out, right: node } : node;
      left = right;
    }
    return out ?? left;
  }
  function literal(): Literal {
    const t = peek();
    if (!t) return fail('expected a value');
    if (t.t === 'num' || t.t === 'str') {
      p++;
      return t.v;
    }
    if (isKw('True') || isKw('False')) {
      p++;
      return t.v === 'True';
    }
    return fail('expected a number, a string, True or False in the list');
  }
  function operand(): QueryNode {
    const t = peek();
    if (!t) return fail('expected a column, a value or (');
    if (t.t === 'num' || t.t === 'str') {
      p++;
      return { k: 'lit', value: t.v };
    }
    if (t.t === 'op' && t.v === '(') {
      p++;
      const e = orExpr();
      expect(')');
      return e;
    }
    if (t.t === 'op' && t.v === '[') {
      p++;
      const items: Literal[] = [];
      while (!isOp(']')) {
        items.push(literal());
        if (!isOp(']')) expect(',');
      }
      p++;
      return { k: 'list', items };
    }
    if (t.t === 'id') {
      p++;
      if (t.at >= 0 && (t.v === 'True' || t.v === 'False')) return { k: 'lit', value: t.v === 'True' };
      if (t.at >= 0 && t.v === 'None') fail('None is not supported (missing values never compare equal; use isna)', t);
      if (t.at >= 0 && KEYWORDS.has(t.v)) fail(`unexpected '${t.v}'`, t);
      if (isOp('(')) fail(`function calls ('${t.v}(…)') are not supported`);
      return { k: 'col', name: t.v };
    }
    return fail(`unexpected '${t.v}'`, t);
  }

  if (toks.length === 0) fail('empty expression');
  const e = orExpr();
  if (p < toks.length) fail(`unexpected '${String(peek()!.v)}'`);
  return e;
}
