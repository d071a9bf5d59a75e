/**
 * A bulk run whose reading side runs in a worker thread (`sourceThread`), against a real
 * SQLite legacy database read through this package: it must give byte for byte what the
 * single-thread run gives, carry the connector's errors across with their code and hint,
 * and stop and resume cleanly.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import {
  FerryError,
  FilesSink,
  PasswordHashingService,
  SqliteUserStore,
  StoreSink,
  createLogger,
  runBulk,
  sourceRecipe,
  validateConfig,
  DefaultHttpClientFactory,
  type BulkSink,
  type FerryConfig,
  type RecordSource,
} from '@ferry/core';
import { legacyConnectorConfig, writeLegacyDatabase } from '@ferry/testkit';
import { sqlConnectorDefinition, type SqlConnectorConfig } from '@ferry/connector-sql';

const USERS = 3000;
const dir = mkdtempSync(join(tmpdir(), 'ferry-bulk-thread-'));
const url = `sqlite:${join(dir, 'legacy.db')}`;
// The worker thread loads the built package, as an installed connector would be.
const PACKAGE = resolve(__dirname, '..');

beforeAll(async () => {
  await writeLegacyDatabase(url, { count: USERS, seed: 'thread', formats: { 'salted-sha256': 2, 'django-pbkdf2': 1 }, costs: { djangoPbkdf2: 1 }, defectRate: 0.01, duplicateRate: 0.01 });
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ferryConfig(config: object): FerryConfig {
  return { store: 'sqlite::memory:', connection: 'default', mode: 'import', log: { level: 'warn' }, connector: { id: 'sql', package: PACKAGE, config: config as FerryConfig['connector']['config'] } };
}

async function connector(config: object): Promise<RecordSource & { close(): Promise<void> }> {
  const logger = createLogger({ level: 'silent' });
  const valid = validateConfig<SqlConnectorConfig>(sqlConnectorDefinition.configSchema, config, 'connector.config');
  return (await sqlConnectorDefinition.create(valid, { logger, hashing: new PasswordHashingService(), http: new DefaultHttpClientFactory(logger), baseDir: dir })) as RecordSource & {
    close(): Promise<void>;
  };
}

type Kind = 'files' | 'store';

async function run(out: string, kind: Kind, thread: boolean, config: object, extra: { stopAfterBatches?: number; resume?: boolean; batchSize?: number; heapMb?: { young: number; old: number }; notices?: string[] } = {}) {
  const source = await connector(config);
  const store = kind === 'store' ? new SqliteUserStore(join(out, 'ferry.db')) : undefined;
  await store?.migrate();
  const sink: BulkSink = store ? new StoreSink({ store, hashing: new PasswordHashingService(), connection: 'default' }) : new FilesSink({ dir: join(out, 'files'), format: 'json', maxBytes: 60000 });
  const stop = new AbortController();
  try {
    return await runBulk({
      source,
      ...(thread ? { sourceThread: sourceRecipe(ferryConfig(config), dir) } : {}),
      sink,
      reportPath: join(out, 'report.ndjson'),
      keepFerryHash: kind === 'store',
      afterComplete: 'refuse',
      batchSize: extra.batchSize ?? 400,
      ...(extra.resume ? { resume: true } : {}),
      ...(extra.heapMb ? { sourceThreadHeapMb: extra.heapMb } : {}),
      onNotice: (code: string) => extra.notices?.push(code),
      ...(extra.stopAfterBatches === undefined
        ? {}
        : { signal: stop.signal, onBatch: (state: { counts: { batches: number } }) => void (state.counts.batches >= (extra.stopAfterBatches as number) && stop.abort()) }),
    });
  } finally {
    await sink.close();
    await store?.close();
    await source.close();
  }
}

function outputOf(out: string, kind: Kind): unknown {
  const report = readFileSync(join(out, 'report.ndjson'), 'utf8');
  if (kind === 'files') {
    const files = join(out, 'files');
    return { report, files: readdirSync(files).filter((n) => n.startsWith('users-')).sort().map((n) => readFileSync(join(files, n), 'utf8')) };
  }
  const db = new Database(join(out, 'ferry.db'), { readonly: true });
  try {
    return {
      report,
      users: db.prepare('SELECT user_id, email_lower, profile, origin FROM users ORDER BY user_id').all(),
      credentials: db.prepare('SELECT user_id, hash, scheme, source FROM credentials ORDER BY user_id').all(),
    };
  } finally {
    db.close();
  }
}

describe.each<Kind>(['files', 'store'])('a bulk run into %s with the reading thread', (kind) => {
  const config = legacyConnectorConfig(url, { pageSize: 170 });

  it('writes exactly what the single-thread run writes, and counts the same', async () => {
    const same = join(dir, `${kind}-same`);
    const threaded = join(dir, `${kind}-thread`);
    const a = await run(same, kind, false, config);
    const b = await run(threaded, kind, true, config);
    expect(b.state.counts).toEqual(a.state.counts);
    expect(a.state.counts.read).toBe(USERS);
    expect(a.state.counts.rejected).toBeGreaterThan(0);
    expect(b.state.done).toBe(true);
    expect(outputOf(threaded, kind)).toEqual(outputOf(same, kind));
  });

  it('stops between batches on the signal, and --resume ends with the same users', async () => {
    // Report lines are grouped by batch: the reference has the same batch size.
    const reference = join(dir, `${kind}-same-100`);
    await run(reference, kind, false, config, { batchSize: 100 });
    const out = join(dir, `${kind}-stopped`);
    // Stopped after the third batch, while the thread is reading ahead.
    const first = await run(out, kind, true, config, { stopAfterBatches: 3, batchSize: 100 });
    expect(first.interrupted).toBe(true);
    expect(first.state.counts.batches).toBe(3);
    // 300 records plus the rows the connector itself rejected on those pages.
    expect(first.state.counts.read).toBeGreaterThanOrEqual(300);
    expect(first.state.counts.read).toBeLessThan(400);
    const second = await run(out, kind, true, config, { resume: true, batchSize: 100 });
    expect(second.resumed).toBe(true);
    expect(second.state.done).toBe(true);
    expect(second.state.counts.read).toBe(USERS);
    expect(outputOf(out, kind)).toEqual(outputOf(reference, kind));
  });
});

describe('a reading thread that runs out of its heap', () => {
  it('hands the run back to its own thread, which ends with the same output', async () => {
    // 400 users whose metadata is ~120 KB each: a page of 200 is ~24 MB of text, and its
    // records and JSON lines as much again — more than the 40 MB heap given to the thread.
    const bigUrl = `sqlite:${join(dir, 'big.db')}`;
    await writeLegacyDatabase(bigUrl, { count: 400, seed: 'big', formats: { 'salted-sha256': 1 } });
    const db = new Database(bigUrl.slice('sqlite:'.length));
    db.exec(`UPDATE users SET metadata = '{"blob":"' || hex(randomblob(60000)) || '"}'`);
    db.close();
    const config = legacyConnectorConfig(bigUrl, { pageSize: 200 });
    const reference = await run(join(dir, 'big-same'), 'files', false, config, { batchSize: 200 });
    const notices: string[] = [];
    const threaded = await run(join(dir, 'big-thread'), 'files', true, config, { batchSize: 200, heapMb: { young: 4, old: 40 }, notices });
    expect(notices).toEqual(['source_thread_out_of_memory']);
    expect(threaded.state.done).toBe(true);
    expect(threaded.state.counts).toEqual(reference.state.counts);
    expect(threaded.state.counts.read).toBe(400);
    expect(outputOf(join(dir, 'big-thread'), 'files')).toEqual(outputOf(join(dir, 'big-same'), 'files'));
  });
});

describe('errors in the reading thread', () => {
  it("reach the run as the connector's own error: code, class, message, hint and details", async () => {
    const config = legacyConnectorConfig(url, { pageSize: 100 }) as unknown as { queries: { exportPage: string } };
    const broken = { ...config, queries: { ...config.queries, exportPage: config.queries.exportPage.replace(/FROM users/i, 'FROM no_such_table') } };
    const inThread = await run(join(dir, 'err-same'), 'files', false, broken).catch((e: unknown) => e);
    const threaded = await run(join(dir, 'err-thread'), 'files', true, broken).catch((e: unknown) => e);
    expect(inThread).toBeInstanceOf(FerryError);
    expect(threaded).toBeInstanceOf(FerryError);
    const pick = (e: FerryError) => ({ name: e.name, code: e.code, errorClass: e.errorClass, message: e.message, hint: e.hint, details: e.details });
    expect(pick(threaded as FerryError)).toEqual(pick(inThread as FerryError));
    expect((threaded as FerryError).details).toEqual(expect.objectContaining({ key: 'queries.exportPage', driverCode: 'SQLITE_ERROR' }));
  });

  it('a connector that cannot be built in the thread is a clear configuration error', async () => {
    const config = legacyConnectorConfig(url, { pageSize: 100 });
    const source = await connector(config);
    const recipe = sourceRecipe({ ...ferryConfig(config), connector: { id: 'sql', package: join(dir, 'missing-connector.js'), config: config as unknown as FerryConfig['connector']['config'] } }, dir);
    const err = await runBulk({ source, sourceThread: recipe, sink: new FilesSink({ dir: join(dir, 'err-missing'), format: 'json' }), reportPath: join(dir, 'err-missing', 'report.ndjson'), keepFerryHash: false, afterComplete: 'refuse' }).catch((e: unknown) => e);
    await source.close();
    expect(err).toBeInstanceOf(FerryError);
    expect((err as FerryError).code).toBe('connector_not_found');
    expect((err as FerryError).hint).toMatch(/connector\.package/);
  });
});
