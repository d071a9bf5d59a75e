/**
 * Hours of an import job's life, on a virtual clock shared by the uploader and the fake
 * tenant (requests still go over HTTP): a job not completed 2 hours after creation fails
 * and its users are reported; a completed job is still read as completed when a resumed
 * run comes back to it hours later (jobs are deleted only after 24 hours).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type FakeAuth0, startFakeAuth0 } from '@ferry/testkit';
import { type Auth0FileResult, type Auth0JournalState, Auth0Uploader } from '../../../src/bulk/auth0';
import type { Clock } from '../../../src/http/clock';
import { clientFor, syntheticUsers, tempDir, writeImportFiles } from './import-files';

const CONNECTION = 'con_0000000000000001';
const HOUR = 3600_000;
/** Polls a minute apart at first, at most ten minutes apart: a few dozen requests for hours of virtual time. */
const SLOW_POLLS = { pollIntervalMs: 60_000, maxPollIntervalMs: 600_000 };

/** Time that passes only when someone sleeps (or the test moves it). */
function virtualClock(): Clock & { advance: (ms: number) => void } {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      offset += Math.max(0, ms);
      await new Promise((resolve) => setImmediate(resolve));
      signal?.throwIfAborted();
    },
    advance: (ms) => {
      offset += ms;
    },
  };
}

describe('Auth0Uploader: jobs over hours', () => {
  let fake: FakeAuth0;
  let tmp: { dir: string; remove: () => Promise<void> };
  beforeEach(async () => {
    tmp = await tempDir();
  });
  afterEach(async () => {
    await fake.close();
    await tmp.remove();
  });

  it('reports a job not completed within 2 hours as failed, one line per user', async () => {
    const clock = virtualClock();
    fake = await startFakeAuth0({ rateLimit: 'paid', now: clock.now, jobTiming: { pendingMs: 1000, processingMs: 3 * HOUR } });
    const files = await writeImportFiles(tmp.dir, syntheticUsers(0, 20));
    const reportPath = join(tmp.dir, 'report.ndjson');
    const { client } = clientFor(fake, 'paid');
    const results: Auth0FileResult[] = [];
    const started = clock.now();
    const summary = await new Auth0Uploader(client, { connectionId: CONNECTION, clock, report: { path: reportPath }, ...SLOW_POLLS }).run(files, { onFileDone: (r) => void results.push(r) });
    await client.close();

    expect(clock.now() - started).toBeGreaterThanOrEqual(2 * HOUR);
    expect(clock.now() - started).toBeLessThan(3 * HOUR);
    expect(results[0]).toMatchObject({ status: 'failed', failure: { code: 'auth0_job_failed', message: expect.stringContaining('2 hours') }, summary: { inserted: 0, failed: 20, total: 20 } });
    expect(summary).toMatchObject({ failedFiles: 1, inserted: 0 });
    const lines = (await readFile(reportPath, 'utf8')).split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, string>);
    expect(lines.map((l) => l.user_id)).toEqual([...syntheticUsers(0, 20)].map((u) => u.user_id));
    expect(lines.every((l) => l.outcome === 'rejected' && l.code === 'auth0_job_failed')).toBe(true);
    expect(fake.users()).toEqual([]);
  });

  it('reads a completed job as completed when a resumed run comes back to it 3 hours later', async () => {
    const clock = virtualClock();
    fake = await startFakeAuth0({ rateLimit: 'paid', now: clock.now, jobTiming: { pendingMs: 1000, processingMs: 60_000 } });
    const files = await writeImportFiles(tmp.dir, syntheticUsers(0, 20));
    const journalPath = join(tmp.dir, 'journal.json');
    const reportPath = join(tmp.dir, 'report.ndjson');
    const options = { connectionId: CONNECTION, clock, journalPath, report: { path: reportPath }, ...SLOW_POLLS };

    // Stopped as soon as Auth0 accepted the file: the job id is journaled, its outcome is not.
    const first = clientFor(fake, 'paid');
    const stop = new AbortController();
    const stopped = await new Auth0Uploader(first.client, options).run(files, { signal: stop.signal, onFileSubmitted: () => stop.abort() });
    await first.client.close();
    expect(stopped).toMatchObject({ interrupted: true, files: 0 });

    clock.advance(3 * HOUR);
    const second = clientFor(fake, 'paid');
    const results: Auth0FileResult[] = [];
    const summary = await new Auth0Uploader(second.client, options).run(files, { onFileDone: (r) => void results.push(r) });
    await second.client.close();

    expect(results[0]).toMatchObject({ status: 'completed', summary: { inserted: 20, failed: 0, total: 20 } });
    expect(results[0]?.failure).toBeUndefined();
    expect(summary).toMatchObject({ files: 1, failedFiles: 0, inserted: 20, interrupted: false });
    expect(await readFile(reportPath, 'utf8')).toBe('');
    const journal = JSON.parse(await readFile(journalPath, 'utf8')) as Auth0JournalState;
    expect(journal.files['0']?.done).toMatchObject({ status: 'completed', summary: { inserted: 20 } });
    expect(fake.stats.jobsCreated).toBe(1);
    expect(fake.users()).toHaveLength(20);
  });
});
