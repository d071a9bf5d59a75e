/** SQLite through better-sqlite3 (synchronous, so one connection is the pool). */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '@ferry/core';
import type { CompiledQuery } from '../named-query';
import { classifyDbError } from './db-errors';
import { bindValues, type DriverOptions, type SqlDriver, type SqlParams, type SqlRow } from './sql-driver';

/** The file a `sqlite:` URL names, relative to the config's directory. */
export function sqlitePath(url: string, baseDir: string): string {
  return resolve(baseDir, url.replace(/^sqlite:(\/\/)?/i, ''));
}

/** Open the SQLite file at `options.url`; a missing file is a config error, not a new database. */
export function openSqlite(options: DriverOptions): SqlDriver {
  const file = sqlitePath(options.url, options.baseDir);
  if (!existsSync(file)) {
    throw new ConfigError('database_not_found', `The SQLite database ${file} does not exist.`, {
      hint: 'Check connector.config.url (sqlite:<path>, relative to ferry.yaml).',
      details: { key: 'url' },
    });
  }
  const db = new Database(file, { fileMustExist: true, timeout: options.timeoutMs });
  const statements = new Map<string, Database.Statement>();
  const prepared = (q: CompiledQuery) => {
    let stmt = statements.get(q.sql);
    if (!stmt) {
      stmt = db.prepare(q.sql);
      statements.set(q.sql, stmt);
    }
    return stmt;
  };
  // Raw (array-row) statements are separate objects: raw mode is a per-statement switch.
  const rawStatements = new Map<string, { stmt: Database.Statement; columns: string[] }>();
  const preparedRaw = (q: CompiledQuery) => {
    let entry = rawStatements.get(q.sql);
    if (!entry) {
      const stmt = db.prepare(q.sql).raw(true);
      entry = { stmt, columns: stmt.columns().map((c) => c.name) };
      rawStatements.set(q.sql, entry);
    }
    return entry;
  };
  const guard = <T>(q: CompiledQuery, fn: () => T): Promise<T> => {
    try {
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(classifyDbError(err, q.key, 'sqlite'));
    }
  };
  return {
    dialect: 'sqlite',
    placeholders: 'question',
    concurrent: false,
    select: (q: CompiledQuery, params: SqlParams) => guard(q, () => prepared(q).all(...bindValues(q, params)) as SqlRow[]),
    selectRows: (q: CompiledQuery, params: SqlParams) =>
      guard(q, () => {
        const { stmt, columns } = preparedRaw(q);
        return { columns, rows: stmt.all(...bindValues(q, params)) as unknown[][] };
      }),
    run: (q: CompiledQuery, params: SqlParams) => guard(q, () => prepared(q).run(...bindValues(q, params)).changes),
    close: async () => {
      db.close();
    },
  };
}
