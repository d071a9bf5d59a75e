/**
 * Shared setup of the SQL connector's tests: generated legacy tables, connectors built
 * exactly as Ferry builds them (schema-validated config, real hashing service), and
 * direct access to the database for assertions.
 */
import Database from 'better-sqlite3';
import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';
import { Writable } from 'node:stream';
import { createLogger, DefaultHttpClientFactory, PasswordHashingService, validateConfig, type Connector, type JsonObject } from '@ferry/core';
import type { ConformanceFixture } from '@ferry/core/testing';
import { dialectOf, legacyConnectorConfig, legacyUserAt, writeLegacyDatabase, type LegacyUserOptions } from '@ferry/testkit';
import { sqlConnectorDefinition, type SqlConnectorConfig } from '../../src';

/** Log lines a connector wrote, for asserting on reasons (and on the absence of hashes). */
export const logLines: string[] = [];

const logger = createLogger({
  level: 'debug',
  destination: new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(chunk.toString());
      done();
    },
  }),
});

/** The clean data set every conformance run uses. */
export const CLEAN: LegacyUserOptions = { count: 60, seed: 'conformance', defectRate: 0, duplicateRate: 0 };
/** A data set full of broken rows and duplicates. */
export const BROKEN: LegacyUserOptions = { count: 300, seed: 'broken', defectRate: 0.1, duplicateRate: 0.05, formats: { 'salted-sha256': 2, phpass: 1, 'md5-crypt': 1 } };

/** Create a connector for `url` the way Ferry does, with config overrides. */
export async function makeConnector(url: string, table = 'users', patch: (c: JsonObject) => void = () => undefined): Promise<Connector> {
  const config = legacyConnectorConfig(url, { table, pageSize: 7 });
  patch(config);
  const valid = validateConfig<SqlConnectorConfig>(sqlConnectorDefinition.configSchema, config, 'connector.config');
  return sqlConnectorDefinition.create(valid, { logger, hashing: new PasswordHashingService(), http: new DefaultHttpClientFactory(logger), baseDir: process.cwd() });
}

/** Write the clean and broken tables into the database at `url`. */
export async function seed(url: string): Promise<void> {
  await writeLegacyDatabase(url, { ...CLEAN, table: 'users' });
  await writeLegacyDatabase(url, { ...BROKEN, table: 'broken_users' });
}

/** Run one SQL statement directly against `url` (for assertions and test setup), returning rows. */
export async function rawQuery(url: string, sql: string): Promise<Array<Record<string, unknown>>> {
  const dialect = dialectOf(url);
  if (dialect === 'sqlite') {
    const db = new Database(url.replace(/^sqlite:/, ''));
    try {
      const stmt = db.prepare(sql);
      if (!stmt.reader) {
        stmt.run();
        return [];
      }
      return stmt.all() as Array<Record<string, unknown>>;
    } finally {
      db.close();
    }
  }
  if (dialect === 'postgres') {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql)).rows as Array<Record<string, unknown>>;
    } finally {
      await client.end();
    }
  }
  const conn = await createConnection({ uri: url });
  try {
    return (await conn.query(sql))[0] as Array<Record<string, unknown>>;
  } finally {
    await conn.end();
  }
}

/** The conformance fixture for the clean table at `url()` (read lazily: servers start in beforeAll). */
export function conformanceFixture(url: () => string, failingConnector: () => Promise<Connector>): ConformanceFixture {
  return {
    connector: () => makeConnector(url()),
    failingConnector,
    user: { identifier: 'ada.lovelace0@example.com', email: 'ada.lovelace0@example.com', password: '' },
    otherUser: { identifier: '', email: '', password: '' },
    unknownIdentifier: 'nobody@example.com',
    expectedExportCount: CLEAN.count,
  };
}

/** Fill in the fixture's users from the generator: the first two enabled users (async, so from beforeAll). */
export async function fillUsers(fixture: ConformanceFixture): Promise<void> {
  const picked = [];
  for (let i = 0; picked.length < 2; i++) {
    const u = await legacyUserAt(CLEAN, i);
    if (!u.disabled) picked.push(u);
  }
  const [a, b] = picked as [Awaited<ReturnType<typeof legacyUserAt>>, Awaited<ReturnType<typeof legacyUserAt>>];
  fixture.user = { identifier: a.email as string, email: a.email as string, password: a.password };
  fixture.otherUser = { identifier: b.username, email: b.email as string, password: b.password };
}
