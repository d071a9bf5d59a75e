/**
 * Named-parameter queries (`:email`, `:after` …) from the config: parsed once at load
 * time, refused when they could splice user input into SQL, and translated to each
 * driver's placeholders. Parameters are always bound by the driver, never inlined.
 */
import { ConfigError } from '@ferry/core';

/** The placeholder style of a driver. */
export type PlaceholderStyle = 'question' | 'dollar';

/** A checked query: the SQL split around its parameters. */
export interface NamedQuery {
  /** Config key, e.g. `queries.findByEmail` (named in every error). */
  key: string;
  /** SQL text between parameters (`parts.length === params.length + 1`). */
  parts: string[];
  /** Parameter names in order of appearance (repeats allowed). */
  params: string[];
}

/** A query in a driver's dialect: SQL text and the parameter name of each placeholder. */
export interface CompiledQuery {
  key: string;
  sql: string;
  order: string[];
}

function unsafe(key: string, why: string, hint: string): ConfigError {
  return new ConfigError('query_unsafe', `${key} ${why}.`, { hint, details: { key } });
}

interface Scan {
  parts: string[];
  params: string[];
  /** The SQL with literals, quoted identifiers and comments blanked, for pattern checks. */
  code: string;
  literals: string[];
}

/** Splits SQL around `:name` parameters, skipping quotes, comments and `::` casts. */
function scan(sql: string): Scan {
  const parts: string[] = [];
  const params: string[] = [];
  const literals: string[] = [];
  let code = '';
  let part = '';
  let k = 0;
  const closeOf: Record<string, string> = { "'": "'", '"': '"', '`': '`' };
  while (k < sql.length) {
    const ch = sql[k] as string;
    const two = sql.slice(k, k + 2);
    let end = -1;
    if (ch in closeOf) {
      end = k + 1;
      while (end < sql.length && !(sql[end] === closeOf[ch] && sql[end + 1] !== closeOf[ch])) end += sql[end] === '\\' || sql[end] === closeOf[ch] ? 2 : 1;
      end = Math.min(end + 1, sql.length);
      if (ch === "'") literals.push(sql.slice(k + 1, end - 1));
    } else if (two === '--') {
      end = sql.indexOf('\n', k);
      if (end < 0) end = sql.length;
    } else if (two === '/*') {
      end = sql.indexOf('*/', k + 2);
      end = end < 0 ? sql.length : end + 2;
    }
    if (end > 0) {
      part += sql.slice(k, end);
      code += ' '.repeat(end - k);
      k = end;
      continue;
    }
    if (two === '::') {
      part += two;
      code += two;
      k += 2;
      continue;
    }
    const m = ch === ':' ? /^:([A-Za-z_][A-Za-z0-9_]*)/.exec(sql.slice(k)) : null;
    if (m) {
      parts.push(part);
      params.push(m[1] as string);
      part = '';
      code += ' '.repeat(m[0].length - 1) + '§';
      k += m[0].length;
      continue;
    }
    part += ch;
    code += ch;
    k += 1;
  }
  parts.push(part);
  return { parts, params, code, literals };
}

/**
 * Parse and check the query at config `key`. `required` parameters must appear;
 * `allowed` lists every parameter it may use. Throws a ConfigError naming `key` when
 * the query could interpolate input or misses a parameter.
 */
export function parseNamedQuery(key: string, sql: string, required: readonly string[], allowed: readonly string[]): NamedQuery {
  const { parts, params, code, literals } = scan(sql);
  const bind = 'Bind input with a bare parameter (e.g. `email = :email`); Ferry passes it to the driver, never into the SQL text.';
  if (/\$\{|#\{|\{\{|%s|%\(/.test(sql)) throw unsafe(key, 'contains a template marker (${…}, #{…}, {{…}}, %s)', bind);
  for (const lit of literals) {
    if (/:[A-Za-z_]/.test(lit)) throw unsafe(key, `has a parameter inside quotes ('${lit}'), which the driver would not bind`, bind);
  }
  if (/\?|\$[0-9]/.test(code)) throw unsafe(key, 'uses positional placeholders (? or $1)', 'Use named parameters like :email; Ferry translates them for each database.');
  if (/;\s*\S/.test(code)) throw unsafe(key, 'contains more than one statement', 'Give one statement per query key.');
  if (/(\|\||\+)\s*§|§\s*(\|\||\+)/.test(code) || /concat(_ws)?\s*\([^)]*§/i.test(code)) {
    throw unsafe(key, 'builds a string around a parameter (||, +, CONCAT)', `${bind} Concatenating input into SQL text or patterns lets it change the query.`);
  }
  if (/\blike\s*§|\bilike\s*§/i.test(code)) {
    throw unsafe(key, 'compares a parameter with LIKE', 'Use `=`: with LIKE, a user could type % or _ and match someone else.');
  }
  for (const name of params) {
    if (!allowed.includes(name)) {
      throw new ConfigError('query_unknown_parameter', `${key} uses :${name}, which Ferry does not provide there.`, {
        hint: `Parameters available in ${key}: ${allowed.map((a) => `:${a}`).join(', ')}.`,
        details: { key, parameter: name },
      });
    }
  }
  for (const name of required) {
    if (!params.includes(name)) {
      throw new ConfigError('query_missing_parameter', `${key} must use the parameter :${name}.`, {
        hint: `Add :${name} to ${key}, e.g. a WHERE clause comparing it with a column.`,
        details: { key, parameter: name },
      });
    }
  }
  return { key, parts, params };
}

/**
 * The result-column names `sql` must return that it never mentions outside quotes and
 * comments (so `SELECT min(id) AS low …` passes for `low`). A cheap load-time check:
 * the result itself is checked again when the query first runs.
 */
export function unnamedColumns(sql: string, names: readonly string[]): string[] {
  const { code } = scan(sql);
  return names.filter((name) => !new RegExp(`\\b${name}\\b`, 'i').test(code));
}

/** The query in a driver's placeholder style (`?` repeated per use, or `$n` per name). */
export function compileQuery(query: NamedQuery, style: PlaceholderStyle): CompiledQuery {
  const distinct: string[] = [];
  let sql = query.parts[0] ?? '';
  query.params.forEach((name, k) => {
    if (style === 'dollar') {
      if (!distinct.includes(name)) distinct.push(name);
      sql += `$${distinct.indexOf(name) + 1}`;
    } else sql += '?';
    sql += query.parts[k + 1] ?? '';
  });
  return { key: query.key, sql, order: style === 'dollar' ? distinct : [...query.params] };
}
