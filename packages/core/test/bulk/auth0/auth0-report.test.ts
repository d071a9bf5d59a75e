/**
 * The report the Auth0 upload writes, against the fake tenant over HTTP: one line per user
 * Auth0 did not import, each exactly once — across a crash between a file's lines and its
 * done mark, and across a stop (Ctrl-C) — and one line per user, with ids and no hash, for
 * a file that failed as a whole.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type FakeAuth0, startFakeAuth0 } from '@ferry/testkit';
import { type Auth0ImportFile, type Auth0JournalState, Auth0Uploader, type Auth0UploadSummary } from '../../../src/bulk/auth0';
import { clientFor, syntheticHash, syntheticUser, syntheticUsers, tempDir, writeImportFiles } from './import-files';

const CONNECTION = 'con_0000000000000001';
const FAST = { pollIntervalMs: 20, maxPollIntervalMs: 80, maxJobsInFlight: 1 };
/** What the export phase reported: the upload's report starts with it. */
const EXPORT_LINES = `${JSON.stringify({ outcome: 'rejected', code: 'invalid_email', reason: 'not an email', user_id: 'x-1' })}\n`;

interface Line {
  outcome: string;
  code: string;
  reason: string;
  user_id?: string;
  email?: string;
}

describe('the Auth0 upload report', () => {
  let fake: FakeAuth0;
  let tmp: { dir: string; remove: () => Promise<void> };
  let journalPath: string;
  let reportPath: string;
  let exportReport: string;
  beforeEach(async () => {
    tmp = await tempDir();
    journalPath = join(tmp.dir, 'journal.json');
    reportPath = join(tmp.dir, 'report.ndjson');
    exportReport = join(tmp.dir, 'export-report.ndjson');
    await writeFile(exportReport, EXPORT_LINES);
  });
  afterEach(async () => {
    await fake.close();
    await tmp.remove();
  });

  /** Three files of 50 users; in each, user `k*50+3`'s name is too long and user `k*50+4`'s email belongs to someone else. */
  async function threeFiles(): Promise<Auth0ImportFile[]> {
    const files: Auth0ImportFile[] = [];
    for (let index = 0; index < 3; index++) {
      const dir = join(tmp.dir, `f${index}`);
      await mkdir(dir);
      const users = [...syntheticUsers(index * 50, index * 50 + 50)].map((u, i) => (i === 3 ? { ...u, name: 'x'.repeat(200) } : u));
      const [file] = await writeImportFiles(dir, users);
      files.push({ ...file!, index });
    }
    return files;
  }

  const taken = [4, 54, 104].map((i) => ({ email: `user${i}@example.com` }));

  async function upload(files: Auth0ImportFile[], handlers: Parameters<Auth0Uploader['run']>[1] = {}, maxJobsInFlight = FAST.maxJobsInFlight): Promise<Auth0UploadSummary> {
    const { client } = clientFor(fake, 'paid');
    try {
      return await new Auth0Uploader(client, { connectionId: CONNECTION, journalPath, report: { path: reportPath, startWith: exportReport }, ...FAST, maxJobsInFlight }).run(files, handlers);
    } finally {
      await client.close();
    }
  }

  async function lines(): Promise<Line[]> {
    return (await readFile(reportPath, 'utf8'))
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Line);
  }

  /** The report holds the export's lines, then exactly one line per refused user. */
  async function expectEachUserOnce(): Promise<void> {
    const text = await readFile(reportPath, 'utf8');
    expect(text.startsWith(EXPORT_LINES)).toBe(true);
    const all = await lines();
    expect(all.map((l) => l.user_id).sort()).toEqual(['legacy-103', 'legacy-104', 'legacy-3', 'legacy-4', 'legacy-53', 'legacy-54', 'x-1']);
    expect(all.filter((l) => l.code === 'auth0_MAX_LENGTH')).toHaveLength(3);
    expect(all.filter((l) => l.code === 'auth0_email_in_use' && l.outcome === 'rejected')).toHaveLength(3);
    const journal = JSON.parse(await readFile(journalPath, 'utf8')) as Auth0JournalState;
    expect(journal.reportBytes).toBe(Buffer.byteLength(text));
  }

  it('starts with the export report and adds one line per user Auth0 refused', async () => {
    fake = await startFakeAuth0({ rateLimit: 'paid', jobTiming: { pendingMs: 5, processingMs: 20 }, connections: [{ id: CONNECTION, name: 'db', users: taken }] });
    const summary = await upload(await threeFiles());
    expect(summary).toMatchObject({ files: 3, inserted: 144, failed: 6, alreadyThere: 0, interrupted: false });
    await expectEachUserOnce();
  });

  it('writes a file\'s lines once when the process stops between writing them and marking the file done', async () => {
    fake = await startFakeAuth0({ rateLimit: 'paid', jobTiming: { pendingMs: 5, processingMs: 20 }, connections: [{ id: CONNECTION, name: 'db', users: taken }] });
    const files = await threeFiles();
    // When file 1's lines are in the report, journaling its done mark fails as a full disk would: the run stops there.
    const blocker = `${journalPath}.tmp-${process.pid}`;
    await expect(upload(files, { onFileDone: (r) => void (r.file.index === 1 && mkdirSync(blocker)) })).rejects.toThrow(/EISDIR/);
    const before = await lines();
    expect(before.filter((l) => l.user_id === 'legacy-53' || l.user_id === 'legacy-54')).toHaveLength(2);
    const journal = JSON.parse(await readFile(journalPath, 'utf8')) as Auth0JournalState;
    expect(journal.files['1']).toMatchObject({ jobId: expect.any(String) });
    expect(journal.files['1']?.done).toBeUndefined();
    rmSync(blocker, { recursive: true });

    // Resumed: file 1's job is read again and its lines written again, in place of the first ones.
    const summary = await upload(files);
    expect(summary).toMatchObject({ files: 2, skipped: 1, interrupted: false });
    await expectEachUserOnce();
    expect(fake.stats.jobsCreated).toBe(3);
  });

  it('reports no later file once a file\'s report step failed, so a resume writes each line once', async () => {
    fake = await startFakeAuth0({ rateLimit: 'paid', jobTiming: { pendingMs: 5, processingMs: 20 }, connections: [{ id: CONNECTION, name: 'db', users: taken }] });
    const files = await threeFiles();
    // Two jobs in flight; the first file's step fails after its lines are written, slowly enough for the other job to finish and queue behind it.
    let first: number | undefined;
    const failing = upload(files, {
      onFileDone: async (r) => {
        first ??= r.file.index;
        if (r.file.index !== first) return;
        await new Promise((resolve) => setTimeout(resolve, 400));
        throw new Error('the caller could not record the file');
      },
    }, 2);
    await expect(failing).rejects.toThrow('the caller could not record the file');
    const journal = JSON.parse(await readFile(journalPath, 'utf8')) as Auth0JournalState;
    expect(Object.values(journal.files).filter((f) => f.done !== undefined)).toHaveLength(0);

    const summary = await upload(files);
    expect(summary).toMatchObject({ files: 3, interrupted: false });
    await expectEachUserOnce();
  });

  it('stops on the caller\'s signal as an interruption, not an error, and a resumed run completes the report', async () => {
    fake = await startFakeAuth0({ rateLimit: 'paid', jobTiming: { pendingMs: 5, processingMs: 20 }, connections: [{ id: CONNECTION, name: 'db', users: taken }] });
    const files = await threeFiles();
    const stop = new AbortController();
    const first = await upload(files, { signal: stop.signal, onFileSubmitted: (file) => void (file.index === 1 && stop.abort()) });
    expect(first).toMatchObject({ interrupted: true, files: 1 });
    const journal = JSON.parse(await readFile(journalPath, 'utf8')) as Auth0JournalState;
    expect(journal.files['1']).toMatchObject({ jobId: expect.any(String) });
    expect(journal.files['1']?.done).toBeUndefined();

    const second = await upload(files);
    expect(second).toMatchObject({ interrupted: false, files: 2, skipped: 1 });
    await expectEachUserOnce();
    expect(fake.stats.jobsCreated).toBe(3);
  });

  it('names every user of a file that failed as a whole — a failed job, a refused file — with ids and no hash', async () => {
    fake = await startFakeAuth0({
      rateLimit: 'paid',
      jobTiming: { pendingMs: 1, processingMs: 5 },
      failJob: ({ index }) => (index === 0 ? 'Failed to parse users file JSON when importing users.' : undefined),
    });
    await mkdir(join(tmp.dir, 'a'));
    await mkdir(join(tmp.dir, 'b'));
    const failing = await writeImportFiles(join(tmp.dir, 'a'), syntheticUsers(0, 30));
    const huge = await writeImportFiles(join(tmp.dir, 'b'), syntheticUsers(1000, 3000), 2_000_000);
    const files: Auth0ImportFile[] = [
      { ...failing[0]!, index: 0 },
      { ...huge[0]!, index: 1 },
    ];
    const summary = await upload(files);
    expect(summary).toMatchObject({ files: 2, failedFiles: 2 });

    const all = (await lines()).slice(1);
    expect(all).toHaveLength(30 + 2000);
    const failed = all.filter((l) => l.code === 'auth0_job_failed');
    expect(failed.map((l) => l.user_id)).toEqual([...syntheticUsers(0, 30)].map((u) => u.user_id));
    expect(failed[0]).toEqual({ outcome: 'rejected', code: 'auth0_job_failed', reason: 'Failed to parse users file JSON when importing users.', user_id: 'legacy-0', email: 'user0@example.com' });
    const refused = all.filter((l) => l.code === 'auth0_file_too_large');
    expect(refused).toHaveLength(2000);
    expect(refused.every((l, i) => l.outcome === 'rejected' && l.user_id === `legacy-${1000 + i}` && l.email === `user${1000 + i}@example.com`)).toBe(true);
    const text = await readFile(reportPath, 'utf8');
    expect(text).not.toContain(syntheticHash(0));
    expect(text).not.toContain('SECRETHASH');
  });

  it('names the users of a file it cannot read in one line, without quoting the file', async () => {
    fake = await startFakeAuth0({ rateLimit: 'paid', jobTiming: { pendingMs: 1, processingMs: 5 } });
    const path = join(tmp.dir, 'broken.json');
    // Not JSON: Auth0 refuses it (400), and the report cannot name its users.
    await writeFile(path, `[${JSON.stringify(syntheticUser(0))}, {"email": "b@example.com", "password_hash": "${syntheticHash(1)}"`);
    const summary = await upload([{ path, index: 0, records: 2 }]);
    expect(summary).toMatchObject({ files: 1, failedFiles: 1 });
    const all = (await lines()).slice(1);
    expect(all).toEqual([
      { outcome: 'rejected', code: 'auth0_file_rejected', reason: expect.any(String), user_id: 'legacy-0', email: 'user0@example.com' },
      { outcome: 'rejected', code: 'auth0_file_rejected', reason: expect.stringContaining('1 users of') },
    ]);
    expect(await readFile(reportPath, 'utf8')).not.toContain('SECRETHASH');
  });
});
