/**
 * Writes generated users into SQLite, PostgreSQL or MariaDB/MySQL with batched inserts
 * in constant memory, so a 1,000,000-user benchmark database is one call.
 */
import Database from 'better-sqlite3';
import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';
import { dialectOf, LEGACY_COLUMNS, legacyTableDdl, type LegacyDialect } from './legacy-schema';
import { generateLegacyUsers, type LegacyRowDefect, type LegacyUser, type LegacyUserOptions } from './legacy-users';

/** Options of {@link writeLegacyDatabase}. */
export interface WriteLegacyDatabaseOptions extends LegacyUserOptions {
  /** Table name (default `users`); dropped and recreated. */
  table?: string;
  /** Rows per INSERT / transaction (default 1000). */
  batchSize?: number;
}

/** What was written. */
export interface WriteLegacyDatabaseResult {
  dialect: LegacyDialect;
  table: string;
  count: number;
  /** Broken rows by defect. */
  defects: Partial<Record<LegacyRowDefect, number>>;
  elapsedMs: number;
}

type Row = Array<string | number | null>;

function rowOf(u: LegacyUser, dialect: LegacyDialect): Row {
  const bool = (b: boolean) => (dialect === 'sqlite' ? (b ? 1 : 0) : (b as unknown as number));
  const created = dialect === 'mysql' ? u.createdAt.toISOString().slice(0, 23).replace('T', ' ') : u.createdAt.toISOString();
  return [u.id, u.email, u.username, u.firstName, u.lastName, u.passwordHash, u.passwordSalt, bool(u.emailVerified), bool(u.disabled), JSON.stringify(u.metadata), JSON.stringify(u.preferences), created];
}

interface Writer {
  exec(sql: string): Promise<void>;
  insert(rows: Row[]): Promise<void>;
  close(): Promise<void>;
}

function sqliteWriter(url: string, table: string): Writer {
  const db = new Database(url.replace(/^sqlite:(\/\/)?/i, ''));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  // Prepared on first use: the table does not exist until the DDL has run.
  let insertMany: ((rows: Row[]) => void) | undefined;
  const prepare = () => {
    const stmt = db.prepare(`INSERT INTO ${table} (${LEGACY_COLUMNS.join(', ')}) VALUES (${LEGACY_COLUMNS.map(() => '?').join(', ')})`);
    return db.transaction((rows: Row[]) => {
      for (const row of rows) stmt.run(row);
    });
  };
  return {
    exec: async (sql) => {
      db.exec(sql);
    },
    insert: async (rows) => {
      insertMany ??= prepare();
      insertMany(rows);
    },
    close: async () => {
      db.close();
    },
  };
}

async function postgresWriter(url: string, table: string): Promise<Writer> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const width = LEGACY_COLUMNS.length;
  return {
    exec: async (sql) => {
      await client.query(sql);
    },
    insert: async (rows) => {
      const values = rows.map((_, r) => `(${LEGACY_COLUMNS.map((_c, c) => `$${r * width + c + 1}`).join(', ')})`).join(', ');
      await client.query(`INSERT INTO ${table} (${LEGACY_COLUMNS.join(', ')}) VALUES ${values}`, rows.flat());
    },
    close: () => client.end(),
  };
}

async function mysqlWriter(url: string, table: string): Promise<Writer> {
  const conn = await createConnection({ uri: url.replace(/^mariadb:/i, 'mysql:') });
  return {
    exec: async (sql) => {
      await conn.query(sql);
    },
    // mysql2 expands a nested array into a multi-row VALUES list, escaping every value.
    insert: async (rows) => {
      await conn.query(`INSERT INTO ${table} (${LEGACY_COLUMNS.join(', ')}) VALUES ?`, [rows]);
    },
    close: () => conn.end(),
  };
}

function checkTableName(table: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(table)) throw new Error(`writeLegacyDatabase: table name '${table}' must be a plain identifier`);
  return table;
}

/**
 * Create `table` in the database at `url` (dropping an old one) and fill it with
 * `options.count` generated users. Deterministic: the same seed writes the same rows.
 */
export async function writeLegacyDatabase(url: string, options: WriteLegacyDatabaseOptions): Promise<WriteLegacyDatabaseResult> {
  const started = Date.now();
  const dialect = dialectOf(url);
  const table = checkTableName(options.table ?? 'users');
  const writer = dialect === 'sqlite' ? sqliteWriter(url, table) : dialect === 'postgres' ? await postgresWriter(url, table) : await mysqlWriter(url, table);
  const defects: Partial<Record<LegacyRowDefect, number>> = {};
  try {
    for (const sql of legacyTableDdl(dialect, table)) await writer.exec(sql);
    for await (const batch of generateLegacyUsers(options, options.batchSize ?? 1000)) {
      for (const u of batch) if (u.defect) defects[u.defect] = (defects[u.defect] ?? 0) + 1;
      await writer.insert(batch.map((u) => rowOf(u, dialect)));
    }
  } finally {
    await writer.close();
  }
  return { dialect, table, count: options.count, defects, elapsedMs: Date.now() - started };
}
