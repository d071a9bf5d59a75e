/**
 * The subset of Gigya's SQL-like query language the fake understands, parsed for real:
 * `SELECT * | field, … FROM accounts [WHERE cond] [ORDER BY field [ASC|DESC]]
 * [START n] [LIMIT n]`, where cond combines `field op literal` (`= != > >= < <=`),
 * `field contains "text"` and `field is [not] null` with AND, OR, NOT and parentheses.
 * Strings are double-quoted with `\"` and `\\` escapes; `=` is case-sensitive; a field
 * holding an array matches when any element does.
 */

/** A literal of the language. */
export type QueryLiteral = string | number | boolean | null;

/** A parsed condition. */
export type Condition =
  | { kind: 'compare'; field: string; op: '=' | '!=' | '>' | '>=' | '<' | '<='; value: QueryLiteral }
  | { kind: 'contains'; field: string; value: string }
  | { kind: 'null'; field: string; negated: boolean }
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; operand: Condition };

/** A parsed query. */
export interface ParsedQuery {
  /** `*` or the selected field paths. */
  fields: '*' | string[];
  where?: Condition;
  orderBy?: { field: string; descending: boolean };
  start?: number;
  limit?: number;
}

/** A syntax error; the fake answers it with 400006. */
export class QuerySyntaxError extends Error {}

type Token = { type: 'word'; text: string } | { type: 'string'; text: string } | { type: 'number'; value: number } | { type: 'symbol'; text: string };

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"') {
      let text = '';
      i++;
      for (;;) {
        if (i >= query.length) throw new QuerySyntaxError('unterminated string');
        const d = query[i] as string;
        if (d === '\\') {
          const e = query[i + 1];
          if (e === undefined) throw new QuerySyntaxError('dangling escape');
          text += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          i += 2;
        } else if (d === '"') {
          i++;
          break;
        } else {
          text += d;
          i++;
        }
      }
      tokens.push({ type: 'string', text });
      continue;
    }
    const two = query.slice(i, i + 2);
    if (two === '!=' || two === '>=' || two === '<=' || two === '<>') {
      tokens.push({ type: 'symbol', text: two === '<>' ? '!=' : two });
      i += 2;
      continue;
    }
    if ('=<>(),*'.includes(c)) {
      tokens.push({ type: 'symbol', text: c });
      i++;
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(query.slice(i));
    if (num && (c === '-' || /\d/.test(c))) {
      tokens.push({ type: 'number', value: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(query.slice(i));
    if (word) {
      tokens.push({ type: 'word', text: word[0] });
      i += word[0].length;
      continue;
    }
    throw new QuerySyntaxError(`unexpected character at ${i}`);
  }
  return tokens;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private isKeyword(word: string, offset = 0): boolean {
    const t = this.tokens[this.i + offset];
    return t?.type === 'word' && t.text.toLowerCase() === word;
  }

  private keyword(word: string): void {
    if (!this.isKeyword(word)) throw new QuerySyntaxError(`expected ${word.toUpperCase()}`);
    this.i++;
  }

  private symbol(text: string): boolean {
    const t = this.peek();
    if (t?.type === 'symbol' && t.text === text) {
      this.i++;
      return true;
    }
    return false;
  }

  private field(): string {
    const t = this.peek();
    if (t?.type !== 'word' || ['select', 'from', 'where', 'and', 'or', 'not', 'order', 'limit', 'start'].includes(t.text.toLowerCase())) throw new QuerySyntaxError('expected a field name');
    this.i++;
    return t.text;
  }

  private integer(): number {
    const t = this.peek();
    if (t?.type !== 'number' || !Number.isInteger(t.value) || t.value < 0) throw new QuerySyntaxError('expected a non-negative integer');
    this.i++;
    return t.value;
  }

  private literal(): QueryLiteral {
    const t = this.peek();
    this.i++;
    if (t?.type === 'string') return t.text;
    if (t?.type === 'number') return t.value;
    if (t?.type === 'word') {
      const w = t.text.toLowerCase();
      if (w === 'true') return true;
      if (w === 'false') return false;
      if (w === 'null') return null;
    }
    throw new QuerySyntaxError('expected a literal');
  }

  parse(): ParsedQuery {
    this.keyword('select');
    let fields: ParsedQuery['fields'];
    if (this.symbol('*')) fields = '*';
    else {
      fields = [this.field()];
      while (this.symbol(',')) fields.push(this.field());
    }
    this.keyword('from');
    const table = this.field();
    if (table.toLowerCase() !== 'accounts') throw new QuerySyntaxError('only FROM accounts is supported');
    const query: ParsedQuery = { fields };
    if (this.isKeyword('where')) {
      this.i++;
      query.where = this.or();
    }
    if (this.isKeyword('order')) {
      this.i++;
      this.keyword('by');
      const field = this.field();
      let descending = false;
      if (this.isKeyword('asc')) this.i++;
      else if (this.isKeyword('desc')) {
        this.i++;
        descending = true;
      }
      query.orderBy = { field, descending };
    }
    if (this.isKeyword('start')) {
      this.i++;
      query.start = this.integer();
    }
    if (this.isKeyword('limit')) {
      this.i++;
      query.limit = this.integer();
    }
    if (this.peek() !== undefined) throw new QuerySyntaxError('unexpected text after the query');
    return query;
  }

  private or(): Condition {
    let left = this.and();
    while (this.isKeyword('or')) {
      this.i++;
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): Condition {
    let left = this.unary();
    while (this.isKeyword('and')) {
      this.i++;
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): Condition {
    if (this.isKeyword('not')) {
      this.i++;
      return { kind: 'not', operand: this.unary() };
    }
    if (this.symbol('(')) {
      const inner = this.or();
      if (!this.symbol(')')) throw new QuerySyntaxError('expected )');
      return inner;
    }
    const field = this.field();
    if (this.isKeyword('contains')) {
      this.i++;
      const value = this.literal();
      if (typeof value !== 'string') throw new QuerySyntaxError('contains takes a string');
      return { kind: 'contains', field, value };
    }
    if (this.isKeyword('is')) {
      this.i++;
      const negated = this.isKeyword('not');
      if (negated) this.i++;
      this.keyword('null');
      return { kind: 'null', field, negated };
    }
    const t = this.peek();
    if (t?.type !== 'symbol' || !['=', '!=', '>', '>=', '<', '<='].includes(t.text)) throw new QuerySyntaxError('expected a comparison');
    this.i++;
    return { kind: 'compare', field, op: t.text as '=', value: this.literal() };
  }
}

/** Parse `query`; throws {@link QuerySyntaxError}. */
export function parseQuery(query: string): ParsedQuery {
  return new Parser(tokenize(query)).parse();
}

/** The value at a dotted path of `obj`. */
export function valueAt(obj: unknown, path: string): unknown {
  let current = obj;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function compare(a: unknown, op: string, b: QueryLiteral): boolean {
  if (op === '=') return a === b;
  if (op === '!=') return a !== b;
  if (typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string')) return false;
  const x = a as number | string;
  const y = b as number | string;
  return op === '>' ? x > y : op === '>=' ? x >= y : op === '<' ? x < y : x <= y;
}

/** Whether `account` satisfies `condition`. */
export function matches(account: unknown, condition: Condition): boolean {
  switch (condition.kind) {
    case 'and':
      return matches(account, condition.left) && matches(account, condition.right);
    case 'or':
      return matches(account, condition.left) || matches(account, condition.right);
    case 'not':
      return !matches(account, condition.operand);
    case 'null': {
      const v = valueAt(account, condition.field);
      const isNull = v === undefined || v === null || (Array.isArray(v) && v.length === 0);
      return condition.negated ? !isNull : isNull;
    }
    case 'contains': {
      const v = valueAt(account, condition.field);
      const values = Array.isArray(v) ? v : [v];
      return values.some((x) => typeof x === 'string' && x.toLowerCase().includes(condition.value.toLowerCase()));
    }
    case 'compare': {
      const v = valueAt(account, condition.field);
      if (Array.isArray(v)) return condition.op === '!=' ? !v.includes(condition.value) : v.some((x) => compare(x, condition.op, condition.value));
      return compare(v, condition.op, condition.value);
    }
  }
}

/** `account` reduced to the selected field paths. */
export function project(account: Record<string, unknown>, fields: ParsedQuery['fields']): Record<string, unknown> {
  if (fields === '*') return account;
  const out: Record<string, unknown> = {};
  for (const path of fields) {
    const value = valueAt(account, path);
    if (value === undefined) continue;
    const parts = path.split('.');
    let target = out;
    for (const part of parts.slice(0, -1)) target = (target[part] ??= {}) as Record<string, unknown>;
    target[parts.at(-1) as string] = value;
  }
  return out;
}
