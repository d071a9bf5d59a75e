import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import Database from 'better-sqlite3';
import addFormats from 'ajv-formats';
import {
  AUTH0_FILE_LIMIT,
  FilesSink,
  ImportFileSource,
  PasswordHashingService,
  SqliteUserStore,
  StoreSink,
  runBulk,
  verifyMigration,
  type ImportRecord,
  type ReportEntry,
  type RunState,
} from '../../src';
import { AUTH0_USER_IMPORT_SCHEMA } from '../../src/bulk/auth0-user-schema';
import { ArraySource, BCRYPT_10, BCRYPT_10_PASSWORD, syntheticUsers } from '../support/synthetic-source';

const ajv = new Ajv({ strict: false });
addFormats(ajv);
const validRecord = ajv.compile(AUTH0_USER_IMPORT_SCHEMA);

function readReport(path: string): ReportEntry[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ReportEntry);
}

function outputFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => /^users-\d+\.json$/.test(n))
    .sort();
}

/** The output files (byte for byte) and the report of `out` equal those of the reference run in `ref`. */
function expectSameOutput(out: string, ref: string): void {
  expect(outputFiles(out)).toEqual(outputFiles(ref));
  for (const name of outputFiles(out)) expect(readFileSync(join(out, name), 'utf8')).toBe(readFileSync(join(ref, name), 'utf8'));
  expect(readFileSync(join(out, 'report.ndjson'), 'utf8')).toBe(readFileSync(join(ref, 'report.ndjson'), 'utf8'));
}

function expectBalanced(state: RunState): void {
  const c = state.counts;
  expect(c.read).toBe(c.written + c.skipped + c.rejected);
}

describe('bulk run into Auth0 import files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-bulk-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const exportTo = (out: string, extra: Partial<Parameters<typeof runBulk>[0]> = {}, records = syntheticUsers(3000)) =>
    runBulk({
      source: new ArraySource(records),
      sink: new FilesSink({ dir: out, format: 'json' }),
      reportPath: join(out, 'report.ndjson'),
      keepFerryHash: false,
      afterComplete: 'refuse',
      batchSize: 100,
      ...extra,
    });

  it('writes valid files of at most 512000 bytes and accounts for every record', async () => {
    const records = syntheticUsers(3000);
    records.push({ user_id: 'huge', email: 'huge@example.com', user_metadata: { blob: 'x'.repeat(AUTH0_FILE_LIMIT) } });
    const { state, interrupted } = await exportTo(join(dir, 'out'), {}, records);
    expect(interrupted).toBe(false);
    expect(state.done).toBe(true);
    expectBalanced(state);
    const files = outputFiles(join(dir, 'out'));
    expect(files.length).toBeGreaterThan(1);
    let written = 0;
    for (const [i, name] of files.entries()) {
      const path = join(dir, 'out', name);
      const size = statSync(path).size;
      expect(size).toBeLessThanOrEqual(AUTH0_FILE_LIMIT);
      const users = JSON.parse(readFileSync(path, 'utf8')) as ImportRecord[];
      // Every file but the last is filled: one more record would not have fitted.
      if (i < files.length - 1) expect(size + 2 + Buffer.byteLength(JSON.stringify(users[0]))).toBeGreaterThan(AUTH0_FILE_LIMIT - 400);
      for (const user of users) expect(validRecord(user)).toBe(true);
      written += users.length;
    }
    expect(written).toBe(state.counts.written);
    const report = readReport(join(dir, 'out', 'report.ndjson'));
    const codes = (outcome: string) => report.filter((e) => e.outcome === outcome).map((e) => e.code);
    expect(new Set(codes('rejected'))).toEqual(new Set(['duplicate_email', 'app_metadata_reserved_key', 'missing_email', 'hash_malformed', 'record_too_large']));
    expect(codes('rejected')).toHaveLength(state.counts.rejected);
    expect(codes('warning').every((c) => c === 'hash_not_importable')).toBe(true);
    expect(report.find((e) => e.code === 'record_too_large')).toMatchObject({ user_id: 'huge', email: 'huge@example.com' });
    const text = readFileSync(join(dir, 'out', 'report.ndjson'), 'utf8');
    expect(text).not.toContain('$2b$');
    expect(text).not.toContain('$1$');
  });

  it('refuses to mix runs: a stopped run needs --resume or --restart, a finished one --restart', async () => {
    const out = join(dir, 'out');
    const controller = new AbortController();
    const first = await exportTo(out, { signal: controller.signal, onBatch: (s) => s.counts.batches === 3 && controller.abort() });
    expect(first.interrupted).toBe(true);
    await expect(exportTo(out)).rejects.toMatchObject({ code: 'run_in_progress' });
    const resumed = await exportTo(out, { resume: true });
    expect(resumed).toMatchObject({ resumed: true, interrupted: false });
    await expect(exportTo(out)).rejects.toMatchObject({ code: 'run_complete' });
    const again = await exportTo(out, { restart: true });
    expect(again.state.counts).toEqual(resumed.state.counts);
  });

  it('refuses to resume a run made from other input (another run id), stopped or finished, and says what to do', async () => {
    const out = join(dir, 'out');
    const controller = new AbortController();
    await exportTo(out, { runId: 'import-aaaa', signal: controller.signal, onBatch: (s) => s.counts.batches === 3 && controller.abort() });
    const refused = { code: 'resume_other_input', message: expect.stringMatching(/import-aaaa.*import-bbbb/) as unknown, hint: expect.stringContaining('--restart') as unknown };
    await expect(exportTo(out, { runId: 'import-bbbb', resume: true })).rejects.toMatchObject(refused);
    const resumed = await exportTo(out, { runId: 'import-aaaa', resume: true });
    expect(resumed).toMatchObject({ resumed: true, interrupted: false, state: { runId: 'import-aaaa', done: true } });
    await expect(exportTo(out, { runId: 'import-bbbb', resume: true })).rejects.toMatchObject(refused);
    expect((await exportTo(out, { runId: 'import-aaaa', resume: true })).alreadyComplete).toBe(true);
    // Without a run id (export, migrate) a resume takes whatever run the sink holds.
    expect((await exportTo(out, { resume: true })).alreadyComplete).toBe(true);
    const restarted = await exportTo(out, { runId: 'import-bbbb', restart: true });
    expect(restarted.state).toMatchObject({ runId: 'import-bbbb', done: true, counts: resumed.state.counts });
  });

  it("keeps a written record's caveat when other records with its user_id are rejected, and drops a rejected record's", async () => {
    const md5 = '$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/';
    const records: ImportRecord[] = [
      { user_id: 'kept', email: 'kept@example.com', ferry_password_hash: md5 }, // written with a caveat
      { user_id: 'kept', email: 'kept-2@example.com', password_hash: BCRYPT_10 }, // duplicate_user_id (the sink)
      { user_id: 'kept', name: 'No Email' }, // missing_email (preparation)
      { user_id: 'first', email: 'first@example.com', password_hash: BCRYPT_10 }, // written
      { user_id: 'first', email: 'first-2@example.com', ferry_password_hash: md5 }, // duplicate_user_id: its caveat goes
    ];
    const out = join(dir, 'out');
    const { state } = await exportTo(out, {}, records);
    expect(state.counts).toMatchObject({ read: 5, written: 2, rejected: 3, skipped: 0, warnings: 1 });
    const report = readReport(join(out, 'report.ndjson'));
    expect(report.filter((e) => e.outcome === 'warning')).toEqual([{ outcome: 'warning', code: 'hash_not_importable', reason: expect.any(String), user_id: 'kept', email: 'kept@example.com' }]);
    expect(report.filter((e) => e.outcome === 'rejected').map((e) => `${e.user_id} ${e.code}`).sort()).toEqual(['first duplicate_user_id', 'kept duplicate_user_id', 'kept missing_email']);
  });

  it.each([1, 4, 7, 13, 29])('stopped after batch %i and resumed, ends with exactly the output of an uninterrupted run', async (stopAt) => {
    const reference = await exportTo(join(dir, 'ref'));
    const out = join(dir, 'out');
    const controller = new AbortController();
    await exportTo(out, { signal: controller.signal, onBatch: (s) => s.counts.batches === stopAt && controller.abort() });
    const resumed = await exportTo(out, { resume: true });
    expect(resumed.state.counts).toEqual(reference.state.counts);
    expectSameOutput(out, join(dir, 'ref'));
  });

  it.each([1, 2, 4])('with batches that span pages and end inside one (600 records, pages of 250), stopped after batch %i and resumed, ends as an uninterrupted run', async (stopAt) => {
    const reference = await exportTo(join(dir, 'ref'), { batchSize: 600 });
    expect(reference.state.counts.batches).toBe(5);
    const out = join(dir, 'out');
    const controller = new AbortController();
    const stopped = await exportTo(out, { batchSize: 600, signal: controller.signal, onBatch: (s) => s.counts.batches === stopAt && controller.abort() });
    // Page 3 reports a broken row, counted with the first batch that reaches into it.
    expect(stopped.state.counts.read).toBe(stopAt * 600 + 1);
    const resumed = await exportTo(out, { batchSize: 600, resume: true });
    expect(resumed.state.counts).toEqual(reference.state.counts);
    expectSameOutput(out, join(dir, 'ref'));
  });

  it('de-duplicates the same past its in-memory table, stopped and resumed there too', async () => {
    const records = syntheticUsers(3000);
    // Same user_id, different email: a duplicate only the id check catches.
    records.push({ ...records[2700], email: 'other@example.com' } as ImportRecord);
    const reference = await exportTo(join(dir, 'ref'), {}, records);
    const out = join(dir, 'out');
    // 1500 keys: the table is full after ~750 users, the rest is checked in the overflow tables.
    const small = () => new FilesSink({ dir: out, format: 'json', seenKeysInMemory: 1500 });
    const controller = new AbortController();
    await exportTo(out, { sink: small(), signal: controller.signal, onBatch: (s) => s.counts.batches === 20 && controller.abort() }, records);
    const resumed = await exportTo(out, { sink: small(), resume: true }, records);
    expect(resumed.state.counts).toEqual(reference.state.counts);
    expect(readReport(join(out, 'report.ndjson')).filter((e) => e.code === 'duplicate_user_id')).toHaveLength(1);
    expectSameOutput(out, join(dir, 'ref'));
  });

  it('a crash after a file was finished and renamed but before the commit: resuming cuts that file back to what was committed', async () => {
    const reference = await exportTo(join(dir, 'ref'));
    const out = join(dir, 'out');
    const sink = new FilesSink({ dir: out, format: 'json' });
    // The "crash": the batch that finishes the first file fails inside its transaction, after
    // the file was synced and renamed; nothing of that batch is committed.
    const crashing = new Proxy(sink, {
      get(target, key, receiver) {
        if (key !== 'writeBatch') return Reflect.get(target, key, receiver) as unknown;
        return (records: ImportRecord[], build: Parameters<FilesSink['writeBatch']>[1], lines?: string[]) =>
          target.writeBatch(records, (result, position) => {
            if ((position as { fileIndex: number }).fileIndex > 1) throw new Error('simulated crash');
            return build(result, position);
          }, lines);
      },
    });
    await expect(exportTo(out, { sink: crashing })).rejects.toThrow('simulated crash');
    await sink.close();
    expect(readdirSync(out)).toContain('users-000001.json');
    const resumed = await exportTo(out, { resume: true });
    expect(resumed.state.counts).toEqual(reference.state.counts);
    expectSameOutput(out, join(dir, 'ref'));
  });

  it('resuming when the unfinished file is gone or cut short is a clear error, and the run can start again', async () => {
    const out = join(dir, 'out');
    const controller = new AbortController();
    await exportTo(out, { signal: controller.signal, onBatch: (s) => s.counts.batches === 3 && controller.abort() });
    const temp = join(out, 'users-000001.json.tmp');
    truncateSync(temp, 100);
    await expect(exportTo(out, { resume: true })).rejects.toMatchObject({
      code: 'files_run_damaged',
      message: expect.stringContaining('users-000001.json is shorter (100 bytes)') as unknown,
      hint: expect.stringContaining('users-000001.json.tmp') as unknown,
    });
    rmSync(temp);
    await expect(exportTo(out, { resume: true })).rejects.toMatchObject({ code: 'files_run_damaged', message: expect.stringContaining('is missing') as unknown });
    const again = await exportTo(out, { restart: true });
    expect(again.state.done).toBe(true);
  });

  it('a run stopped by a Ferry that kept the unfinished file in its database resumes from there', async () => {
    const reference = await exportTo(join(dir, 'ref'));
    const out = join(dir, 'out');
    const controller = new AbortController();
    await exportTo(out, { signal: controller.signal, onBatch: (s) => s.counts.batches === 5 && controller.abort() });
    // Turn the stopped run into one of the earlier design: the file's lines in table
    // `pending` (a row of lines joined by newlines), the position without its length.
    const temp = join(out, 'users-000001.json.tmp');
    const lines = readFileSync(temp, 'utf8').slice(2).split(',\n');
    const db = new Database(join(out, '.ferry-run.db'));
    const state = JSON.parse((db.prepare('SELECT state FROM run').get() as { state: string }).state) as RunState;
    db.prepare('UPDATE run SET state = ?').run(JSON.stringify({ ...state, sink: { fileIndex: 1 } }));
    db.prepare('INSERT INTO pending (line) VALUES (?)').run(lines.slice(0, 100).join('\n'));
    db.prepare('INSERT INTO pending (line) VALUES (?)').run(lines.slice(100).join('\n'));
    db.close();
    rmSync(temp);
    const resumed = await exportTo(out, { resume: true });
    expect(resumed.state.counts).toEqual(reference.state.counts);
    expectSameOutput(out, join(dir, 'ref'));
    const after = new Database(join(out, '.ferry-run.db'), { readonly: true });
    expect(after.prepare('SELECT count(*) AS n FROM pending').get()).toEqual({ n: 0 });
    after.close();
  });

  it('writes NDJSON files that keep Ferry-only hashes, and imports them back', async () => {
    const out = join(dir, 'nd');
    const run = await runBulk({
      source: new ArraySource(syntheticUsers(500)),
      sink: new FilesSink({ dir: out, format: 'ndjson', maxBytes: 20000 }),
      reportPath: join(out, 'report.ndjson'),
      keepFerryHash: true,
      afterComplete: 'refuse',
    });
    const files = readdirSync(out).filter((n) => n.endsWith('.ndjson') && n.startsWith('users-'));
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) expect(statSync(join(out, f)).size).toBeLessThanOrEqual(20000);
    expect(readFileSync(join(out, files[0] as string), 'utf8')).toContain('ferry_password_hash');
    const store = new SqliteUserStore(join(dir, 'ferry.db'));
    await store.migrate();
    try {
      const imported = await runBulk({
        source: new ImportFileSource(files.sort().map((f) => join(out, f)), 70),
        sink: new StoreSink({ store, hashing: new PasswordHashingService(), connection: 'c' }),
        reportPath: join(dir, 'import-report.ndjson'),
        keepFerryHash: true,
        afterComplete: 'new',
      });
      expect(imported.state.counts).toMatchObject({ read: run.state.counts.written, written: run.state.counts.written, rejected: 0 });
      expect((await store.getCredential('c', 'u0000089'))?.scheme).toBe('md5-crypt');
    } finally {
      await store.close();
    }
  });
});

describe('bulk run into the store', () => {
  let dir: string;
  let store: SqliteUserStore;
  const hashing = new PasswordHashingService();
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-bulk-store-'));
    store = new SqliteUserStore(join(dir, 'ferry.db'));
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const migrate = (extra: Partial<Parameters<typeof runBulk>[0]> = {}) =>
    runBulk({
      source: new ArraySource(syntheticUsers(2000)),
      sink: new StoreSink({ store, hashing, connection: 'legacy' }),
      reportPath: join(dir, 'report.ndjson'),
      keepFerryHash: true,
      afterComplete: 'new',
      batchSize: 100,
      ...extra,
    });

  it('imports the rest (two-phase), leaves trickle-migrated users and their credentials alone', async () => {
    const argon = await hashing.hash('their-new-password');
    await store.createUser({ connection: 'legacy', profile: { user_id: 'u0000005', email: 'user5@example.com' }, origin: 'login', credential: { hash: argon, scheme: 'argon2id', source: 'login' } });
    const { state } = await migrate();
    expectBalanced(state);
    const report = readReport(join(dir, 'report.ndjson'));
    expect(report.filter((e) => e.outcome === 'skipped')).toEqual([
      { outcome: 'skipped', code: 'already_migrated', reason: expect.any(String), user_id: 'u0000005', email: 'user5@example.com' },
    ]);
    expect(state.counts.skipped).toBe(1);
    expect((await store.getCredential('legacy', 'u0000005'))?.hash).toBe(argon);
    const bulk = await store.findForLogin('legacy', 'user10@example.com');
    expect(bulk?.user.origin).toBe('bulk');
    expect(await hashing.verify(bulk?.credential?.hash as string, BCRYPT_10_PASSWORD)).toMatchObject({ match: true });
    const md5 = await store.getCredential('legacy', 'u0000089');
    expect(await hashing.verify(md5?.hash as string, 'password')).toMatchObject({ match: true, scheme: 'md5-crypt' });
    expect((await store.stats('legacy')).total).toBe(state.counts.written + 1);
    expect(report.filter((e) => e.code === 'duplicate_email').length).toBeGreaterThan(0);
    // Running the bulk step again later imports nobody twice.
    const again = await migrate();
    expect(again.state.counts.written).toBe(0);
    expect(again.state.counts.skipped).toBe(state.counts.written + 1);
  });

  it.each([2, 9, 17])('stopped after batch %i and resumed, stores exactly the users of an uninterrupted run', async (stopAt) => {
    const controller = new AbortController();
    await migrate({ signal: controller.signal, onBatch: (s) => s.counts.batches === stopAt && controller.abort() });
    await expect(migrate()).rejects.toMatchObject({ code: 'run_in_progress' });
    const resumed = await migrate({ resume: true });
    const ids = await store.listUserIds('legacy', undefined, 10000);

    const other = new SqliteUserStore(join(dir, 'ref.db'));
    await other.migrate();
    try {
      const reference = await runBulk({
        source: new ArraySource(syntheticUsers(2000)),
        sink: new StoreSink({ store: other, hashing, connection: 'legacy' }),
        reportPath: join(dir, 'ref-report.ndjson'),
        keepFerryHash: true,
        afterComplete: 'new',
        batchSize: 100,
      });
      expect(resumed.state.counts).toEqual(reference.state.counts);
      expect(ids).toEqual(await other.listUserIds('legacy', undefined, 10000));
      expect(readFileSync(join(dir, 'report.ndjson'), 'utf8')).toBe(readFileSync(join(dir, 'ref-report.ndjson'), 'utf8'));
    } finally {
      await other.close();
    }
  });

  it('refuses to resume a stopped run of other input (another run id) with the store too', async () => {
    const controller = new AbortController();
    await migrate({ runId: 'import-aaaa', signal: controller.signal, onBatch: (s) => s.counts.batches === 2 && controller.abort() });
    await expect(migrate({ runId: 'import-bbbb', resume: true })).rejects.toMatchObject({ code: 'resume_other_input' });
    expect(await store.getSetting('bulk:legacy')).toMatchObject({ runId: 'import-aaaa', done: false, counts: { batches: 2 } });
    expect((await migrate({ runId: 'import-aaaa', resume: true })).state).toMatchObject({ runId: 'import-aaaa', done: true });
  });

  it('verify reconciles legacy against the store: missing, extra by origin, and who can never be migrated', async () => {
    await store.createUser({ connection: 'legacy', profile: { user_id: 'native-1', email: 'new@example.com' }, origin: 'native' });
    const before = await verifyMigration({ source: new ArraySource(syntheticUsers(2000)), store, connection: 'legacy' });
    expect(before).toMatchObject({ present: 0, complete: false, extra: { native: 1, login: 0, bulk: 0, get_user: 0 } });
    const { state } = await migrate();
    await store.deleteUser('legacy', 'u0000010');
    const after = await verifyMigration({ source: new ArraySource(syntheticUsers(2000)), store, connection: 'legacy' });
    expect(after.legacy.total).toBe(state.counts.read);
    expect(after.legacy.unmigratable).toBe(state.counts.rejected);
    expect(after.missing).toBe(1);
    expect(after.samples.missing).toEqual(['u0000010']);
    expect(after.present).toBe(state.counts.written - 1);
    expect(after.complete).toBe(false);
    expect(after.legacy.unmigratableByCode).toMatchObject({ duplicate_email: expect.any(Number), missing_email: expect.any(Number), hash_malformed: 1 });
  });

  it('dry run writes nothing and reports what the real run then does: skips, clashes with the store, duplicates inside the source', async () => {
    const records = () => {
      const users = syntheticUsers(2000);
      Object.assign(users[9] as ImportRecord, { username: 'Sam' });
      Object.assign(users[19] as ImportRecord, { username: 'SAM' }); // duplicate_username (this run)
      Object.assign(users[29] as ImportRecord, { username: 'Taken' }); // username_in_use (the store)
      users.push({ ...(users[99] as ImportRecord) }); // duplicate_user_id, last of the run
      return users;
    };
    await store.createUser({ connection: 'legacy', profile: { user_id: 'u0000005', email: 'user5@example.com' }, origin: 'login' });
    await store.createUser({ connection: 'legacy', profile: { user_id: 'native-1', email: 'USER40@example.com', username: 'taken' }, origin: 'native' });
    const before = await store.stats('legacy');

    const dry = await migrate({ source: new ArraySource(records()), sink: new StoreSink({ store, hashing, connection: 'legacy', dryRun: true }), reportPath: join(dir, 'dry.ndjson') });
    expect(await store.stats('legacy')).toEqual(before);
    expect(await store.getSetting('bulk:legacy')).toBeUndefined();
    const dryReport = readReport(join(dir, 'dry.ndjson'));

    const real = await migrate({ source: new ArraySource(records()), reportPath: join(dir, 'real.ndjson') });
    expectBalanced(real.state);
    expect(dry.state.counts).toEqual(real.state.counts);
    expect(dryReport).toEqual(readReport(join(dir, 'real.ndjson')));
    const codes = new Map(dryReport.map((e) => [`${e.user_id ?? ''} ${e.code}`, e.outcome]));
    expect(codes.get('u0000005 already_migrated')).toBe('skipped');
    expect(codes.get('u0000040 email_in_use')).toBe('rejected');
    expect(codes.get('u0000020 duplicate_username')).toBe('rejected');
    expect(codes.get('u0000030 username_in_use')).toBe('rejected');
    expect(codes.get('u0000100 duplicate_user_id')).toBe('rejected');
    expect(dryReport.filter((e) => e.code === 'duplicate_email').length).toBeGreaterThan(10);
  });

  it('a dry-run sink used again after a stopped dry run starts without its keys, and cleans up its scratch space', async () => {
    const sink = new StoreSink({ store, hashing, connection: 'legacy', dryRun: true, scratchDir: join(dir, 'scratch') });
    const controller = new AbortController();
    const stopped = await migrate({ sink, signal: controller.signal, onBatch: (s) => s.counts.batches === 3 && controller.abort() });
    expect(stopped.interrupted).toBe(true);
    expect(readdirSync(join(dir, 'scratch'))).toHaveLength(1);
    const again = await migrate({ sink, reportPath: join(dir, 'dry-again.ndjson') });
    const fresh = await migrate({ sink: new StoreSink({ store, hashing, connection: 'legacy', dryRun: true }), reportPath: join(dir, 'dry-fresh.ndjson') });
    expect(again.state.counts).toEqual(fresh.state.counts);
    expect(again.state.counts.written).toBeGreaterThan(1900);
    expect(readdirSync(join(dir, 'scratch'))).toEqual([]);
  });
});
