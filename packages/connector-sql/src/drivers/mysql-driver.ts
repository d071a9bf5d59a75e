/** MySQL and MariaDB through a `mysql2` pool, with server-side prepared statements. */
import { createPool, type ResultSetHeader, type RowDataPacket } from 'mysql2/promise';
import type { CompiledQuery } from '../named-query';
import { classifyDbError } from './db-errors';
import { bindValues, type DriverOptions, type SqlDriver, type SqlParams, type SqlRow } from './sql-driver';

/** Open a pool for a `mysql://` or `mariadb://` URL. Connects lazily, on the first query. */
export function openMysql(options: DriverOptions): SqlDriver {
  const pool = createPool({
    uri: options.url.replace(/^mariadb:/i, 'mysql:'),
    connectionLimit: options.poolSize,
    connectTimeout: options.timeoutMs,
    // Big ids come back as strings instead of losing precision.
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
  });
  const exec = async (q: CompiledQuery, params: SqlParams, rowsAsArray = false) => {
    try {
      // LIMIT placeholders must be integers on the wire; mysql2 would send JS numbers as doubles.
      const values = bindValues(q, params).map((v) => (typeof v === 'number' && Number.isInteger(v) ? String(v) : v));
      return await pool.execute({ sql: q.sql, timeout: options.timeoutMs, rowsAsArray }, values);
    } catch (err) {
      throw classifyDbError(err, q.key, 'mysql');
    }
  };
  return {
    dialect: 'mysql',
    placeholders: 'question',
    concurrent: true,
    select: async (q, params) => (await exec(q, params))[0] as RowDataPacket[] as SqlRow[],
    // Array rows skip building an object per row; the column names come once per page.
    selectRows: async (q, params) => {
      const [rows, fields] = await exec(q, params, true);
      return { columns: (fields ?? []).map((f) => f.name), rows: rows as unknown as unknown[][] };
    },
    run: async (q, params) => ((await exec(q, params))[0] as ResultSetHeader).affectedRows,
    close: () => pool.end(),
  };
}
