/** Picks the driver for a connection URL. */
/* eslint-disable @typescript-eslint/no-require-imports */
import type * as MysqlDriver from './mysql-driver';
import type * as PostgresDriver from './postgres-driver';
import type { DriverOptions, SqlDriver } from './sql-driver';
import { openSqlite } from './sqlite-driver';

/**
 * Open the driver `options.url` names (`sqlite:`, `postgres://`, `mysql://`, `mariadb://`).
 * The PostgreSQL and MySQL drivers (pg, mysql2: ~80 ms to load together) are loaded only
 * when a URL asks for them.
 */
export function openDriver(options: DriverOptions): SqlDriver {
  if (/^sqlite:/i.test(options.url)) return openSqlite(options);
  if (/^postgres(ql)?:\/\//i.test(options.url)) return (require('./postgres-driver') as typeof PostgresDriver).openPostgres(options);
  return (require('./mysql-driver') as typeof MysqlDriver).openMysql(options);
}
