/** PostgreSQL through a `pg` pool; statements are named so each connection prepares them once. */
import { createHash } from 'node:crypto';
import { Pool } from 'pg';
import type { CompiledQuery } from '../named-query';
import { classifyDbError } from './db-errors';
import { bindValues, type DriverOptions, type SqlDriver, type SqlParams, type SqlRow } from './sql-driver';

/** Open a pool for a `postgres://` URL. Connects lazily, on the first query. */
export function openPostgres(options: DriverOptions): SqlDriver {
  const pool = new Pool({
    connectionString: options.url,
    max: options.poolSize,
    connectionTimeoutMillis: options.timeoutMs,
    query_timeout: options.timeoutMs,
    allowExitOnIdle: true,
  });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  const name = (q: CompiledQuery) => `ferry_${createHash('sha1').update(q.sql).digest('hex').slice(0, 16)}`;
  const exec = async (q: CompiledQuery, params: SqlParams) => {
    try {
      return await pool.query<SqlRow>({ name: name(q), text: q.sql, values: bindValues(q, params) });
    } catch (err) {
      throw classifyDbError(err, q.key, 'postgres');
    }
  };
  // Array rows skip building an object per row; the column names come once per page.
  const execRows = async (q: CompiledQuery, params: SqlParams) => {
    try {
      return await pool.query<unknown[]>({ name: name(q), text: q.sql, values: bindValues(q, params), rowMode: 'array' });
    } catch (err) {
      throw classifyDbError(err, q.key, 'postgres');
    }
  };
  return {
    dialect: 'postgres',
    placeholders: 'dollar',
    concurrent: true,
    select: async (q, params) => (await exec(q, params)).rows,
    selectRows: async (q, params) => {
      const result = await execRows(q, params);
      return { columns: result.fields.map((f) => f.name), rows: result.rows };
    },
    run: async (q, params) => (await exec(q, params)).rowCount ?? 0,
    close: () => pool.end(),
  };
}
