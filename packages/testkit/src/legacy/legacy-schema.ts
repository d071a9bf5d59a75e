/**
 * The generated `users` table: what a typical web app's table looks like, per dialect.
 */

/** The SQL dialects the generator writes. */
export type LegacyDialect = 'sqlite' | 'postgres' | 'mysql';

/** The dialect of a database URL (`sqlite:./x.db`, `postgres://…`, `mysql://…`, `mariadb://…`). */
export function dialectOf(url: string): LegacyDialect {
  if (/^sqlite:/i.test(url)) return 'sqlite';
  if (/^postgres(ql)?:\/\//i.test(url)) return 'postgres';
  if (/^(mysql|mariadb):\/\//i.test(url)) return 'mysql';
  throw new Error(`Unsupported database URL '${url.replace(/\/\/[^@/]*@/, '//***@')}': use sqlite:, postgres:// or mysql:// / mariadb://`);
}

/** Columns in insert order. */
export const LEGACY_COLUMNS = [
  'id',
  'email',
  'username',
  'first_name',
  'last_name',
  'password_hash',
  'password_salt',
  'email_verified',
  'disabled',
  'metadata',
  'preferences',
  'created_at',
] as const;

/** DDL creating (after dropping) `table` in `dialect`. */
export function legacyTableDdl(dialect: LegacyDialect, table: string): string[] {
  const json = dialect === 'postgres' ? 'JSONB' : dialect === 'mysql' ? 'JSON' : 'TEXT';
  const bool = dialect === 'sqlite' ? 'INTEGER' : 'BOOLEAN';
  const falsy = dialect === 'sqlite' ? '0' : 'FALSE';
  const ts = dialect === 'postgres' ? 'TIMESTAMPTZ' : dialect === 'mysql' ? 'DATETIME(3)' : 'TEXT';
  const id = dialect === 'sqlite' ? 'INTEGER PRIMARY KEY' : 'BIGINT PRIMARY KEY';
  const create = `CREATE TABLE ${table} (
  id ${id},
  email VARCHAR(320) NULL,
  username VARCHAR(128) NULL,
  first_name VARCHAR(150) NULL,
  last_name VARCHAR(150) NULL,
  password_hash VARCHAR(255) NULL,
  password_salt VARCHAR(64) NULL,
  email_verified ${bool} NOT NULL DEFAULT ${falsy},
  disabled ${bool} NOT NULL DEFAULT ${falsy},
  metadata ${json} NULL,
  preferences ${json} NULL,
  migrated_at ${ts} NULL,
  created_at ${ts} NOT NULL
)${dialect === 'mysql' ? ' DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci' : ''}`;
  // MariaDB has no expression indexes, but its _ci collation makes `email = ?` case-insensitive.
  const emailIndex = dialect === 'mysql' ? `CREATE INDEX ${table}_email ON ${table} (email)` : `CREATE INDEX ${table}_email ON ${table} (lower(email))`;
  return [`DROP TABLE IF EXISTS ${table}`, create, emailIndex, `CREATE INDEX ${table}_username ON ${table} (username)`];
}
