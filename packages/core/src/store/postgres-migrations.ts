/**
 * Versioned schema of the PostgreSQL store: the same logical tables as the SQLite store
 * (`sqlite-migrations.ts`) in PostgreSQL's native types. Append new migrations; never
 * edit a released one. All pending steps run in one transaction under an advisory lock.
 *
 * Keys are `COLLATE "C"` so they sort byte-wise exactly as in SQLite (keyset paging and
 * `ferry verify` see the same order on both stores).
 */

/** One schema step. */
export interface PostgresMigration {
  version: number;
  name: string;
  sql: string;
}

/** All migrations, in order. */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'users, credentials, migration log, settings',
    sql: `
      CREATE TABLE users (
        connection     text COLLATE "C" NOT NULL,
        user_id        text COLLATE "C" NOT NULL,
        email_lower    text COLLATE "C",
        username_lower text COLLATE "C",
        profile        jsonb NOT NULL,
        blocked        boolean NOT NULL DEFAULT false,
        origin         text NOT NULL CHECK (origin IN ('login', 'get_user', 'bulk', 'native')),
        migrated_at    timestamptz NOT NULL,
        created_at     timestamptz NOT NULL,
        updated_at     timestamptz NOT NULL,
        PRIMARY KEY (connection, user_id)
      );
      CREATE UNIQUE INDEX users_email ON users (connection, email_lower) WHERE email_lower IS NOT NULL;
      CREATE UNIQUE INDEX users_username ON users (connection, username_lower) WHERE username_lower IS NOT NULL;
      CREATE TABLE credentials (
        connection text COLLATE "C" NOT NULL,
        user_id    text COLLATE "C" NOT NULL,
        hash       text NOT NULL,
        scheme     text COLLATE "C" NOT NULL,
        source     text NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (connection, user_id),
        FOREIGN KEY (connection, user_id) REFERENCES users (connection, user_id) ON DELETE CASCADE
      );
      CREATE TABLE migration_log (
        id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at         timestamptz NOT NULL,
        connection text COLLATE "C" NOT NULL,
        event      text NOT NULL,
        user_id    text COLLATE "C",
        email      text,
        detail     jsonb
      );
      CREATE INDEX migration_log_user ON migration_log (connection, user_id);
      CREATE TABLE settings (
        key        text COLLATE "C" PRIMARY KEY,
        value      jsonb NOT NULL,
        updated_at timestamptz NOT NULL
      );
    `,
  },
];

/** The newest schema version this Ferry knows. */
export const POSTGRES_SCHEMA_VERSION = POSTGRES_MIGRATIONS[POSTGRES_MIGRATIONS.length - 1]?.version ?? 0;
