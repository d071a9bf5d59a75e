/**
 * The Auth0 uploader against the fake tenant on loopback, with real HTTP: 50,000 users,
 * per-user errors in the results, at most two jobs in flight, no rate-limit violations,
 * and a stopped run resumed from its journal with every file reported exactly once.
 * The crash window between Auth0's 202 and the journal: auth0-uploader-resend.test.ts.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type FakeAuth0, startFakeAuth0 } from '@ferry/testkit';
import { type Auth0FileResult, type Auth0ImportFile, Auth0Uploader } from '../../../src/bulk/auth0';
import { clientFor, syntheticHash, syntheticUsers, tempDir, writeImportFiles } from './import-files';

const CONNECTION = 'con_0000000000000001';
const FAST = { pollIntervalMs: 20, maxPollIntervalMs: 80 };

describe('Auth0Uploader against the fake Auth0', () => {
  let fake: FakeAuth0;
  let tmp: { dir: string; remove: () => Promise<void> };
  beforeEach(async () => {
    tmp = await tempDir();
  });
  afterEach(async () => {
    await fake.close();
    await tmp.remove();
  });

  it('imports 50,000 users with per-user errors reported, at most 2 jobs in flight and no rate-limit violations', async () => {
    // 50 emails already held by other users of the tenant: their import fails with DUPLICATED_USER.
    const existing = [...syntheticUsers(0, 50_000)].filter((_, i) => i % 1000 === 7).map((u) => ({ email: u.email as string }));
    fake = await startFakeAuth0({
      rateLimit: 'paid',
      jobTiming: { pendingMs: 5, processingMs: 20 },
      redactErrorUsers: false,
      connections: [{ id: CONNECTION, name: 'Username-Password-Authentication', users: existing }],
    });
    const files = await writeImportFiles(tmp.dir, syntheticUsers(0, 50_000));
    for (const file of files) expect((await readFile(file.path)).length).toBeLessThanOrEqual(512_000);
    expect(files.length).toBeGreaterThan(10);

    const { client, lines } = clientFor(fake, 'paid');
    const results: Auth0FileResult[] = [];
    const uploader = new Auth0Uploader(client, { connectionId: CONNECTION, journalPath: join(tmp.dir, 'journal.json'), ...FAST });
    const summary = await uploader.run(files, { onFileDone: (r) => void results.push(r) });
    await client.close();

    expect(results).toHaveLength(files.length);
    expect(new Set(results.map((r) => r.file.index)).size).toBe(files.length);
    expect(summary).toMatchObject({ files: files.length, skipped: 0, failedFiles: 0, inserted: 49_950, updated: 0, failed: 50, alreadyThere: 0, total: 50_000, interrupted: false });
    const errors = results.flatMap((r) => r.errors);
    expect(errors).toHaveLength(50);
    // Someone else holds each of those emails (users-by-email): not imported, so not skipped.
    expect(errors.every((e) => e.code === 'DUPLICATED_USER' && e.verdict === 'email_in_use' && e.email !== undefined && e.user_id !== undefined)).toBe(true);
    expect(fake.stats.byRoute['GET /api/v2/users-by-email']).toBe(50);
    expect(errors.map((e) => e.email).sort()).toEqual(existing.map((u) => u.email).sort());
    expect(fake.users()).toHaveLength(49_950 + 50);
    expect(fake.stats.maxConcurrentJobsSeen).toBeLessThanOrEqual(2);
    expect(fake.stats.maxConcurrentJobsSeen).toBe(2);
    expect(fake.stats.concurrentJobRejections).toBe(0);
    expect(fake.stats.rateLimitViolations).toBe(0);
    expect(fake.stats.jobsCreated).toBe(files.length);
    // Auth0 echoed the users unredacted here; nothing of the hashes reaches results or logs.
    const everything = JSON.stringify(results) + lines.join('\n');
    expect(everything).not.toContain('SECRETHASH');
    expect(everything).not.toContain('custom_password_hash');
    expect(everything).not.toContain(fake.clientSecret);
  }, 120_000);

  it('resumes from the journal after a stop (interrupted, not an error): nothing resubmitted, every file reported exactly once', async () => {
    fake = await startFakeAuth0({ rateLimit: 'paid', jobTiming: { pendingMs: 20, processingMs: 60 } });
    const files = await writeImportFiles(tmp.dir, syntheticUsers(0, 12_000), 200_000);
    const journalPath = join(tmp.dir, 'journal.json');
    const reported = new Map<number, number>();
    const count = (r: Auth0FileResult): void => void reported.set(r.file.index, (reported.get(r.file.index) ?? 0) + 1);

    const first = clientFor(fake, 'paid');
    const stop = new AbortController();
    const run = new Auth0Uploader(first.client, { connectionId: CONNECTION, journalPath, ...FAST }).run(files, {
      onFileDone: (r) => {
        count(r);
        if (reported.size === 3) stop.abort(new Error('stopped by the test'));
      },
      signal: stop.signal,
    });
    expect(await run).toMatchObject({ interrupted: true, files: 3 });
    await first.client.close();
    const journal = JSON.parse(await readFile(journalPath, 'utf8')) as { files: Record<string, { jobId?: string; done?: unknown }> };
    const inFlight = Object.values(journal.files).filter((f) => f.jobId !== undefined && f.done === undefined);
    expect(inFlight.length).toBeGreaterThan(0);
    const createdBeforeRestart = fake.stats.jobsCreated;
    expect(createdBeforeRestart).toBeLessThan(files.length);

    const second = clientFor(fake, 'paid');
    const summary = await new Auth0Uploader(second.client, { connectionId: CONNECTION, journalPath, ...FAST }).run(files, { onFileDone: count });
    await second.client.close();
    expect(summary.interrupted).toBe(false);

    expect([...reported.keys()].sort((a, b) => a - b)).toEqual(files.map((f) => f.index));
    expect([...reported.values()].every((n) => n === 1)).toBe(true);
    expect(summary.skipped).toBe(3);
    // A stop is not a crash mid-send: no file was in doubt, so nothing is put down to a lost job.
    expect(summary.alreadyImported).toBe(0);
    expect(fake.stats.jobsCreated).toBe(files.length);
    expect(fake.users()).toHaveLength(12_000);
    expect(fake.stats.maxConcurrentJobsSeen).toBeLessThanOrEqual(2);
    expect(fake.stats.concurrentJobRejections).toBe(0);
    expect(fake.stats.rateLimitViolations).toBe(0);

    // A third run has nothing left to do.
    const third = clientFor(fake, 'paid');
    const again = await new Auth0Uploader(third.client, { connectionId: CONNECTION, journalPath, ...FAST }).run(files, { onFileDone: count });
    await third.client.close();
    expect(again).toMatchObject({ files: 0, skipped: files.length });
    expect(fake.stats.jobsCreated).toBe(files.length);
  }, 60_000);

  it('reports a file over 512000 bytes as failed (413) and goes on with the others', async () => {
    fake = await startFakeAuth0({ rateLimit: 'paid', jobTiming: { pendingMs: 1, processingMs: 5 } });
    await mkdir(join(tmp.dir, 'small'));
    await mkdir(join(tmp.dir, 'huge'));
    const small = await writeImportFiles(join(tmp.dir, 'small'), syntheticUsers(0, 10), 512_000);
    const huge = await writeImportFiles(join(tmp.dir, 'huge'), syntheticUsers(100, 2_100), 2_000_000);
    const files: Auth0ImportFile[] = [{ ...huge[0]!, index: 0 }, { ...small[0]!, index: 1 }];
    const { client } = clientFor(fake, 'paid');
    const results: Auth0FileResult[] = [];
    await new Auth0Uploader(client, { connectionId: CONNECTION, ...FAST }).run(files, { onFileDone: (r) => void results.push(r) });
    await client.close();
    expect(results.find((r) => r.file.index === 0)).toMatchObject({
      jobId: undefined,
      status: 'failed',
      summary: { inserted: 0, failed: 2_000, total: 2_000 },
      failure: { code: 'auth0_file_too_large' },
    });
    expect(results.find((r) => r.file.index === 1)).toMatchObject({ status: 'completed', summary: { inserted: 10, total: 10 } });
    expect(fake.stats.payloadTooLarge).toBe(1);
  });

  it('waits while Auth0 answers 429 because two jobs of someone else are running', async () => {
    fake = await startFakeAuth0({ rateLimit: 'paid', jobTiming: { pendingMs: 150, processingMs: 150 } });
    const files = await writeImportFiles(tmp.dir, syntheticUsers(0, 20));
    // Another process holds both of Auth0's job slots.
    const other = clientFor(fake, 'paid');
    await other.client.createImportJob(Buffer.from(JSON.stringify([{ email: 'o1@example.com' }])), { connectionId: CONNECTION });
    await other.client.createImportJob(Buffer.from(JSON.stringify([{ email: 'o2@example.com' }])), { connectionId: CONNECTION });
    await other.client.close();

    const { client } = clientFor(fake, 'paid');
    const results: Auth0FileResult[] = [];
    await new Auth0Uploader(client, { connectionId: CONNECTION, pollIntervalMs: 20, maxPollIntervalMs: 100 }).run(files, { onFileDone: (r) => void results.push(r) });
    await client.close();
    expect(fake.stats.concurrentJobRejections).toBeGreaterThan(0);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ status: 'completed', summary: { inserted: 20, total: 20 } });
    expect(fake.stats.maxConcurrentJobsSeen).toBe(2);
  });

  it('reports a job that failed as a whole with its status details', async () => {
    fake = await startFakeAuth0({
      rateLimit: 'paid',
      jobTiming: { pendingMs: 1, processingMs: 5 },
      failJob: ({ index }) => (index === 0 ? 'Failed to parse users file JSON when importing users.' : undefined),
    });
    const files = await writeImportFiles(tmp.dir, syntheticUsers(0, 5));
    const { client } = clientFor(fake, 'paid');
    const results: Auth0FileResult[] = [];
    const summary = await new Auth0Uploader(client, { connectionId: CONNECTION, ...FAST }).run(files, { onFileDone: (r) => void results.push(r) });
    await client.close();
    expect(results[0]).toMatchObject({ status: 'failed', failure: { code: 'auth0_job_failed', message: 'Failed to parse users file JSON when importing users.' } });
    expect(summary.failedFiles).toBe(1);
  });

  it('reports a job deleted before its outcome was read as failed with that reason', async () => {
    fake = await startFakeAuth0({ rateLimit: 'paid', jobTiming: { pendingMs: 1, processingMs: 1, retentionMs: 2 } });
    const files = await writeImportFiles(tmp.dir, syntheticUsers(0, 5));
    const { client } = clientFor(fake, 'paid');
    const results: Auth0FileResult[] = [];
    await new Auth0Uploader(client, { connectionId: CONNECTION, ...FAST }).run(files, { onFileDone: (r) => void results.push(r) });
    await client.close();
    expect(results[0]).toMatchObject({ status: 'failed', failure: { code: 'auth0_job_not_found' }, summary: { total: 5 } });
  });

  it('keeps the hashes Auth0 echoes out of the per-user errors', async () => {
    fake = await startFakeAuth0({ rateLimit: 'paid', jobTiming: { pendingMs: 1, processingMs: 5 }, redactErrorUsers: false });
    const users = [...syntheticUsers(0, 3)];
    users.push({ ...users[0]!, user_id: 'again' });
    const files = await writeImportFiles(tmp.dir, users);
    const { client } = clientFor(fake, 'paid');
    const results: Auth0FileResult[] = [];
    await new Auth0Uploader(client, { connectionId: CONNECTION, ...FAST }).run(files, { onFileDone: (r) => void results.push(r) });
    await client.close();
    // A repeat inside the file under another user_id: the email is the first one's, so this user is not in Auth0.
    expect(results[0]?.errors).toEqual([{ user_id: 'again', email: 'user0@example.com', code: 'DUPLICATED_USER', verdict: 'email_in_use', message: expect.stringContaining('auth0|legacy-0') }]);
    expect(JSON.stringify(results)).not.toContain(syntheticHash(0));
  });
});
