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
  const exec = async (q: CompiledQuery, params: SqlParams) => {
    try {
      // LIMIT placeholders must be integers on the wire; mysql2 would send JS numbers as doubles.
      const values = bindValues(q, params).map((v) => (typeof v === 'number' && Number.isInteger(v) ? String(v) : v));
      const [result] = await pool.execute({ sql: q.sql, timeout: options.timeoutMs }, values);
      return result;
    } catch (err) {
      throw classifyDbError(err, q.key, 'mysql');
    }
  };
  return {
    dialect: 'mysql',
    placeholders: 'question',
    select: async (q, params) => (await exec(q, params)) as RowDataPacket[] as SqlRow[],
    run: async (q, params) => ((await exec(q, params)) as ResultSetHeader).affectedRows,
    close: () => pool.end(),
  };
}
