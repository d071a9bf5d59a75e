/**
 * `ferry verify`: reconcile the legacy source against the store. Legacy ids are streamed
 * into a scratch SQLite database (constant memory), with the users the pipeline could never
 * migrate (rows the source rejects, records Auth0's rules refuse, second users of an email)
 * set apart; then the store's ids are streamed in order and matched.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { UserOrigin, UserStore } from '../store/user-store';
import type { RecordSource } from './bulk-run';
import { prepareRecords } from './record-preparation';

/** Options of {@link verifyMigration}. */
export interface VerifyOptions {
  source: RecordSource;
  store: UserStore;
  connection: string;
  /** How many ids of each list to return (default 20). */
  sample?: number;
  signal?: AbortSignal;
}

/** A legacy user that can't be migrated, and why. */
export interface Unmigratable {
  user_id?: string;
  email?: string;
  row?: string | number;
  code: string;
}

/** The reconciliation; `complete` when every migratable legacy user is in the store. */
export interface VerifyReport {
  legacy: { total: number; migratable: number; unmigratable: number; unmigratableByCode: Record<string, number> };
  store: { total: number };
  present: number;
  missing: number;
  /** In the store but not in legacy, by origin (`native` sign-ups are expected). */
  extra: Record<UserOrigin, number>;
  /** Share of migratable users present, 0–100. */
  percentPresent: number;
  complete: boolean;
  samples: { missing: string[]; extra: string[]; unmigratable: Unmigratable[] };
}

/** Reconcile `source` against `store`. */
export async function verifyMigration(options: VerifyOptions): Promise<VerifyReport> {
  const sample = options.sample ?? 20;
  const dir = mkdtempSync(join(tmpdir(), 'ferry-verify-'));
  const db = new Database(join(dir, 'verify.db'));
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.exec(`
      CREATE TABLE legacy (user_id TEXT PRIMARY KEY, present INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
      CREATE TABLE emails (email TEXT PRIMARY KEY) WITHOUT ROWID;
      CREATE TABLE unmigratable (user_id TEXT, email TEXT, row TEXT, code TEXT NOT NULL);
    `);
    const addLegacy = db.prepare('INSERT OR IGNORE INTO legacy (user_id) VALUES (?)');
    const claimEmail = db.prepare('INSERT OR IGNORE INTO emails (email) VALUES (?)');
    const dropLegacy = db.prepare('DELETE FROM legacy WHERE user_id = ?');
    const addUnmigratable = db.prepare('INSERT INTO unmigratable (user_id, email, row, code) VALUES (?, ?, ?, ?)');
    const legacyHas = db.prepare<[string], { present: number }>('SELECT present FROM legacy WHERE user_id = ?');
    const markPresent = db.prepare('UPDATE legacy SET present = 1 WHERE user_id = ?');

    for await (const page of options.source.exportUsers(options.signal ? { signal: options.signal } : {})) {
      const prepared = prepareRecords(page.records, { sourceId: options.source.id, keepFerryHash: true });
      db.transaction(() => {
        for (const r of page.rejects ?? []) addUnmigratable.run(r.ref.user_id ?? null, r.ref.email ?? null, r.ref.row === undefined ? null : String(r.ref.row), r.code);
        for (const e of prepared.entries) if (e.outcome === 'rejected') addUnmigratable.run(e.user_id ?? null, e.email ?? null, null, e.code);
        for (const record of prepared.accepted) {
          if (addLegacy.run(record.user_id).changes === 0) addUnmigratable.run(record.user_id, record.email ?? null, null, 'duplicate_user_id');
          else if (claimEmail.run((record.email as string).toLowerCase()).changes === 0) {
            dropLegacy.run(record.user_id);
            addUnmigratable.run(record.user_id, record.email ?? null, null, 'duplicate_email');
          }
        }
      })();
      if (page.checkpoint === null) break;
    }

    const extra: Record<UserOrigin, number> = { login: 0, get_user: 0, bulk: 0, native: 0 };
    const extraSample: string[] = [];
    let storeTotal = 0;
    let after: string | undefined;
    for (;;) {
      const ids = await options.store.listUserIds(options.connection, after, 1000);
      if (ids.length === 0) break;
      storeTotal += ids.length;
      const strangers: string[] = [];
      db.transaction(() => {
        for (const id of ids) {
          if (legacyHas.get(id) === undefined) strangers.push(id);
          else markPresent.run(id);
        }
      })();
      for (const id of strangers) {
        const user = await options.store.findById(options.connection, id);
        if (user) extra[user.origin] += 1;
        if (extraSample.length < sample && user?.origin !== 'native') extraSample.push(id);
      }
      after = ids[ids.length - 1];
    }

    const count = (sql: string): number => (db.prepare<[], { n: number }>(sql).get() as { n: number }).n;
    const migratable = count('SELECT count(*) AS n FROM legacy');
    const present = count('SELECT count(*) AS n FROM legacy WHERE present = 1');
    const unmigratableByCode = Object.fromEntries(
      db.prepare<[], { code: string; n: number }>('SELECT code, count(*) AS n FROM unmigratable GROUP BY code ORDER BY n DESC, code').all().map((r) => [r.code, r.n]),
    );
    const unmigratable = count('SELECT count(*) AS n FROM unmigratable');
    return {
      legacy: { total: migratable + unmigratable, migratable, unmigratable, unmigratableByCode },
      store: { total: storeTotal },
      present,
      missing: migratable - present,
      extra,
      percentPresent: migratable === 0 ? 100 : Math.floor((present / migratable) * 1000) / 10,
      complete: present === migratable,
      samples: {
        missing: db.prepare<[number], { user_id: string }>('SELECT user_id FROM legacy WHERE present = 0 ORDER BY user_id LIMIT ?').all(sample).map((r) => r.user_id),
        extra: extraSample,
        unmigratable: db
          .prepare<[number], { user_id: string | null; email: string | null; row: string | null; code: string }>('SELECT user_id, email, row, code FROM unmigratable LIMIT ?')
          .all(sample)
          .map((r) => ({ ...(r.user_id === null ? {} : { user_id: r.user_id }), ...(r.email === null ? {} : { email: r.email }), ...(r.row === null ? {} : { row: r.row }), code: r.code })),
      },
    };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
