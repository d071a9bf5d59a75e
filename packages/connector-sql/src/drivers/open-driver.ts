/** Picks the driver for a connection URL. */
import { openMysql } from './mysql-driver';
import { openPostgres } from './postgres-driver';
import type { DriverOptions, SqlDriver } from './sql-driver';
import { openSqlite } from './sqlite-driver';

/** Open the driver `options.url` names (`sqlite:`, `postgres://`, `mysql://`, `mariadb://`). */
export function openDriver(options: DriverOptions): SqlDriver {
  if (/^sqlite:/i.test(options.url)) return openSqlite(options);
  if (/^postgres(ql)?:\/\//i.test(options.url)) return openPostgres(options);
  return openMysql(options);
}
