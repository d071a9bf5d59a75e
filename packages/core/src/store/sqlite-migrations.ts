/**
 * Versioned schema of the embedded SQLite store. Append new migrations; never edit a
 * released one. Each runs in its own transaction together with its version row.
 */

/** One schema step. */
export interface SqliteMigration {
  version: number;
  name: string;
  sql: string;
}

/** All migrations, in order. */
export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'users, credentials, migration log, settings',
    sql: `
      CREATE TABLE users (
        connection     TEXT NOT NULL,
        user_id        TEXT NOT NULL,
        email_lower    TEXT,
        username_lower TEXT,
        profile        TEXT NOT NULL,
        blocked        INTEGER NOT NULL DEFAULT 0,
        origin         TEXT NOT NULL CHECK (origin IN ('login', 'get_user', 'bulk', 'native')),
        migrated_at    TEXT NOT NULL,
        created_at     TEXT NOT NULL,
        updated_at     TEXT NOT NULL,
        PRIMARY KEY (connection, user_id)
      ) WITHOUT ROWID;
      CREATE UNIQUE INDEX users_email ON users (connection, email_lower) WHERE email_lower IS NOT NULL;
      CREATE UNIQUE INDEX users_username ON users (connection, username_lower) WHERE username_lower IS NOT NULL;
      CREATE TABLE credentials (
        connection TEXT NOT NULL,
        user_id    TEXT NOT NULL,
        hash       TEXT NOT NULL,
        scheme     TEXT NOT NULL,
        source     TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (connection, user_id),
        FOREIGN KEY (connection, user_id) REFERENCES users (connection, user_id) ON DELETE CASCADE
      ) WITHOUT ROWID;
      CREATE TABLE migration_log (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        at         TEXT NOT NULL,
        connection TEXT NOT NULL,
        event      TEXT NOT NULL,
        user_id    TEXT,
        email      TEXT,
        detail     TEXT
      );
      CREATE INDEX migration_log_user ON migration_log (connection, user_id);
      CREATE TABLE settings (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `,
  },
];
