/**
 * The SQL connector against a real SQLite file: the conformance kit, then its own cases.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runConnectorConformance } from '@ferry/core/testing';
import { writeLegacyDatabase } from '@ferry/testkit';
import { runSqlConnectorCases } from './support/sql-connector-cases';
import { conformanceFixture, fillUsers, makeConnector, seed } from './support/sql-test-kit';

const dir = mkdtempSync(join(tmpdir(), 'ferry-sql-sqlite-'));
const url = `sqlite:${join(dir, 'legacy.db')}`;
const lockedUrl = `sqlite:${join(dir, 'locked.db')}`;
let locker: Database.Database | undefined;

beforeAll(async () => {
  await seed(url);
  // A database another process holds an exclusive lock on: every read gets SQLITE_BUSY.
  await writeLegacyDatabase(lockedUrl, { count: 3, seed: 'locked' });
  locker = new Database(lockedUrl.slice('sqlite:'.length));
  locker.pragma('journal_mode = DELETE');
  locker.exec('BEGIN EXCLUSIVE');
  locker.exec("UPDATE users SET username = username || '' WHERE id = 1");
  await fillUsers(fixture);
}, 60_000);

afterAll(() => {
  locker?.close();
  rmSync(dir, { recursive: true, force: true });
});

const fixture = conformanceFixture(
  () => url,
  () =>
    makeConnector(lockedUrl, 'users', (c) => {
      c.timeoutMs = 200;
    }),
);

runConnectorConformance('sql (SQLite)', fixture);
runSqlConnectorCases('SQLite', () => url);
