/**
 * The crash window of the Auth0 upload: Auth0 accepted a file but its job id never reached
 * the journal. The resumed run sends the file again (Auth0 cannot list jobs), and the
 * duplicates that second job reports are put down to the lost one, not rejected. The
 * window is opened for real: when the fake creates the job, a directory is put where the
 * journal's next temporary file goes, so journaling the job id fails as a full disk would
 * and the run stops right after Auth0's 202.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type FakeAuth0, startFakeAuth0 } from '@ferry/testkit';
import { type Auth0FileResult, type Auth0ImportFile, type Auth0JournalState, Auth0Uploader, type Auth0UploadSummary } from '../../../src/bulk/auth0';
import { clientFor, syntheticUser, syntheticUsers, tempDir, writeImportFiles } from './import-files';

const CONNECTION = 'con_0000000000000001';
const FAST = { pollIntervalMs: 20, maxPollIntervalMs: 80, maxJobsInFlight: 1 };
/** The file whose send is interrupted. */
const LOST = 1;

describe('Auth0Uploader: a file accepted by Auth0 whose job id was never journaled', () => {
  let fake: FakeAuth0;
  let tmp: { dir: string; remove: () => Promise<void> };
  let journalPath: string;
  /** `external_id` of every job the fake created, in order. */
  let externalIds: string[];
  beforeEach(async () => {
    tmp = await tempDir();
    journalPath = join(tmp.dir, 'journal.json');
    externalIds = [];
  });
  afterEach(async () => {
    await fake.close();
    await tmp.remove();
  });

  /** A fake whose first job for file {@link LOST} makes the uploader's next journal write fail. */
  async function startCrashingFake(existing: string[] = []): Promise<void> {
    const blocker = `${journalPath}.tmp-${process.pid}`;
    fake = await startFakeAuth0({
      rateLimit: 'paid',
      jobTiming: { pendingMs: 5, processingMs: 20 },
      connections: [{ id: CONNECTION, name: 'Username-Password-Authentication', users: existing.map((email) => ({ email })) }],
      failJob: ({ externalId }) => {
        externalIds.push(externalId ?? '');
        if (externalId?.endsWith(`-${LOST}`) === true && externalIds.filter((id) => id === externalId).length === 1) mkdirSync(blocker);
        return undefined;
      },
    });
  }

  /** Three files of 1000 users; file {@link LOST} also holds one user Auth0 refuses (name too long). */
  async function threeFiles(): Promise<Auth0ImportFile[]> {
    const files: Auth0ImportFile[] = [];
    for (let index = 0; index < 3; index++) {
      const dir = join(tmp.dir, `f${index}`);
      await mkdir(dir);
      const users = [...syntheticUsers(index * 1000, index * 1000 + 1000)];
      if (index === LOST) users.push({ ...syntheticUser(9999), name: 'x'.repeat(200) });
      const [file] = await writeImportFiles(dir, users);
      files.push({ ...file!, index });
    }
    return files;
  }

  async function upload(files: Auth0ImportFile[], results: Auth0FileResult[], upsert = false): Promise<Auth0UploadSummary> {
    const { client } = clientFor(fake, 'paid');
    try {
      return await new Auth0Uploader(client, { connectionId: CONNECTION, journalPath, upsert, ...FAST }).run(files, { onFileDone: (r) => void results.push(r) });
    } finally {
      await client.close();
    }
  }

  /** The first run: file 0 done, file {@link LOST} accepted by Auth0, then the run stops. */
  async function interruptedRun(files: Auth0ImportFile[], upsert = false): Promise<Auth0FileResult[]> {
    const results: Auth0FileResult[] = [];
    await expect(upload(files, results, upsert)).rejects.toThrow(/EISDIR/);
    const journal = JSON.parse(await readFile(journalPath, 'utf8')) as Auth0JournalState;
    expect(journal.files[String(LOST)]).toEqual({ path: files[LOST]!.path, records: 1001, sendingSince: expect.any(String) });
    expect(fake.stats.jobsCreated).toBe(2);
    rmSync(`${journalPath}.tmp-${process.pid}`, { recursive: true });
    return results;
  }

  it('sends the file again on resume and skips the duplicates the lost job made, as already imported', async () => {
    await startCrashingFake();
    const files = await threeFiles();
    const first = await interruptedRun(files);
    expect(first.map((r) => r.file.index)).toEqual([0]);

    const results: Auth0FileResult[] = [];
    const summary = await upload(files, results);

    // Exactly two jobs for the lost file, carrying the same external_id.
    const lostId = externalIds.find((id) => id.endsWith(`-${LOST}`))!;
    expect(lostId).toMatch(/^ferry-[0-9a-f]{8}-1$/);
    expect(externalIds.filter((id) => id === lostId)).toHaveLength(2);
    expect(externalIds).toHaveLength(4);
    expect(fake.stats.jobsCreated).toBe(4);
    expect(fake.users()).toHaveLength(3000);

    const resent = results.find((r) => r.file.index === LOST)!;
    expect(resent).toMatchObject({ status: 'completed', summary: { inserted: 0, updated: 0, failed: 1001, total: 1001 }, alreadyImported: 1000, unconfirmedSends: { count: 1 } });
    expect(resent.failure).toBeUndefined();
    const credited = resent.errors.filter((e) => e.verdict === 'already_imported_by_interrupted_job');
    expect(credited).toHaveLength(1000);
    expect(credited.every((e) => e.code === 'DUPLICATED_USER' && e.user_id !== undefined && e.email !== undefined)).toBe(true);
    expect(credited[0]!.message).toContain('probably imported by an interrupted earlier upload of this file');
    expect(credited[0]!.message).toContain(`external_id ${lostId}`);
    expect(credited[0]!.message).toContain(resent.jobId);
    // Another error of the same file stays what Auth0 said.
    expect(resent.errors.filter((e) => e.verdict === undefined)).toEqual([{ user_id: 'legacy-9999', email: 'user9999@example.com', code: 'MAX_LENGTH', message: expect.any(String), path: 'name' }]);

    // Every record is accounted for once: written, skipped as already imported, or rejected.
    const done = [...first, ...results];
    expect(done.map((r) => r.file.index).sort()).toEqual([0, 1, 2]);
    const written = done.reduce((n, r) => n + r.summary.inserted + r.summary.updated, 0);
    const skipped = done.reduce((n, r) => n + (r.alreadyImported ?? 0), 0);
    const rejected = done.reduce((n, r) => n + r.summary.failed, 0) - skipped;
    expect({ written, skipped, rejected }).toEqual({ written: 2000, skipped: 1000, rejected: 1 });
    expect(written + skipped + rejected).toBe(files.reduce((n, f) => n + f.records, 0));
    expect(summary).toMatchObject({ files: 2, skipped: 1, inserted: 1000, failed: 1001, alreadyImported: 1000, total: 2001 });

    const journal = JSON.parse(await readFile(journalPath, 'utf8')) as Auth0JournalState;
    const entry = journal.files[String(LOST)]!;
    expect(entry).toMatchObject({ jobId: resent.jobId, unconfirmed: { count: 1 }, done: { status: 'completed', errors: 1001, alreadyImported: 1000, duplicates: 1000 } });
    expect(entry.sendingSince).toBeUndefined();
  }, 60_000);

  it('puts nothing down to the lost job with upsert: the second job updates those users instead', async () => {
    await startCrashingFake();
    const files = await threeFiles();
    await interruptedRun(files, true);
    const results: Auth0FileResult[] = [];
    const summary = await upload(files, results, true);
    const resent = results.find((r) => r.file.index === LOST)!;
    expect(resent).toMatchObject({ summary: { inserted: 0, updated: 1000, failed: 1, total: 1001 }, alreadyImported: 0, unconfirmedSends: { count: 1 } });
    expect(resent.errors.map((e) => [e.code, e.verdict])).toEqual([['MAX_LENGTH', undefined]]);
    expect(summary.alreadyImported).toBe(0);
    expect(fake.stats.jobsCreated).toBe(4);
  }, 60_000);

  it('puts nothing down to the lost job in a file that was never in doubt: a DUPLICATED_USER of an email someone else held before the run is rejected', async () => {
    const existing = ['user5@example.com', 'user1500@example.com'];
    fake = await startFakeAuth0({ rateLimit: 'paid', jobTiming: { pendingMs: 5, processingMs: 20 }, connections: [{ id: CONNECTION, name: 'db', users: existing.map((email) => ({ email })) }] });
    const files = await writeImportFiles(tmp.dir, syntheticUsers(0, 2000), 200_000);
    const results: Auth0FileResult[] = [];
    const summary = await upload(files, results);

    const errors = results.flatMap((r) => r.errors);
    expect(errors.map((e) => e.email).sort()).toEqual(existing.sort());
    expect(errors.every((e) => e.code === 'DUPLICATED_USER' && e.verdict === 'email_in_use' && e.message.endsWith('Auth0 said: The user already exists.'))).toBe(true);
    expect(results.every((r) => r.unconfirmedSends === undefined && r.alreadyImported === undefined)).toBe(true);
    expect(summary).toMatchObject({ inserted: 1998, failed: 2, alreadyImported: 0, alreadyThere: 0, total: 2000 });
    const journal = JSON.parse(await readFile(journalPath, 'utf8')) as Auth0JournalState;
    expect(Object.values(journal.files).every((f) => f.sendingSince === undefined && f.unconfirmed === undefined && f.done?.alreadyImported === undefined)).toBe(true);
  });
});
