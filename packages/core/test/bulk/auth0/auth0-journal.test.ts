/**
 * The journal's send markers: a send is journaled before it leaves, a refusal clears it,
 * an accepted job replaces it, and a marker found on reopening becomes an unconfirmed send
 * that stays with the file until it is done. Plus which failed sends count as refused.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Auth0Journal, type Auth0JournalState } from '../../../src/bulk/auth0';
import { refusedWithoutJob } from '../../../src/bulk/auth0/unconfirmed-sends';
import { DataError, TransientError } from '../../../src/errors';
import { tempDir } from './import-files';

const CONNECTION = 'con_0000000000000001';
const SUMMARY = { inserted: 2, updated: 0, failed: 1, total: 3 };

describe('Auth0Journal send markers', () => {
  let tmp: { dir: string; remove: () => Promise<void> };
  let path: string;
  beforeEach(async () => {
    tmp = await tempDir();
    path = join(tmp.dir, 'journal.json');
  });
  afterEach(async () => tmp.remove());

  const onDisk = async (): Promise<Auth0JournalState> => JSON.parse(await readFile(path, 'utf8')) as Auth0JournalState;

  it('writes the marker before the send and drops it on a refusal or an accepted job', async () => {
    const journal = await Auth0Journal.open(path, CONNECTION);
    await journal.sending(0, 'a.json', 3, '2024-05-01T10:00:00.000Z');
    expect((await onDisk()).files['0']).toEqual({ path: 'a.json', records: 3, sendingSince: '2024-05-01T10:00:00.000Z' });
    await journal.notSent(0);
    await journal.sending(0, 'a.json', 3, '2024-05-01T10:00:05.000Z');
    await journal.submitted(0, 'a.json', 3, 'job_AAAAAAAAAAAAAAAA');
    expect((await onDisk()).files['0']).toEqual({ path: 'a.json', records: 3, jobId: 'job_AAAAAAAAAAAAAAAA' });
    expect((await onDisk()).uploadId).toMatch(/^[0-9a-f]{8}$/);
  });

  it('turns markers found on reopening into unconfirmed sends, kept until the file is done', async () => {
    const first = await Auth0Journal.open(path, CONNECTION);
    await first.sending(4, 'e.json', 3, '2024-05-01T10:00:00.000Z');
    const second = await Auth0Journal.open(path, CONNECTION);
    expect(second.uploadId).toBe(first.uploadId);
    await second.sending(4, 'e.json', 3, '2024-05-01T11:00:00.000Z');
    const third = await Auth0Journal.open(path, CONNECTION);
    await third.sending(4, 'e.json', 3, '2024-05-01T12:00:00.000Z');
    await third.submitted(4, 'e.json', 3, 'job_BBBBBBBBBBBBBBBB');
    const fourth = await Auth0Journal.open(path, CONNECTION);
    expect(fourth.unfinished()).toEqual([{ index: 4, entry: { path: 'e.json', records: 3, unconfirmed: { count: 2, since: '2024-05-01T10:00:00.000Z' }, jobId: 'job_BBBBBBBBBBBBBBBB' } }]);
    await fourth.finished(4, 'e.json', 3, { status: 'completed', summary: SUMMARY, errors: 1, alreadyImported: 1 });
    expect((await onDisk()).files['4']).toEqual({
      path: 'e.json',
      records: 3,
      unconfirmed: { count: 2, since: '2024-05-01T10:00:00.000Z' },
      jobId: 'job_BBBBBBBBBBBBBBBB',
      done: { status: 'completed', summary: SUMMARY, errors: 1, alreadyImported: 1 },
    });
  });

  it('drops the marker of a file refused and reported as failed', async () => {
    const journal = await Auth0Journal.open(path, CONNECTION);
    await journal.sending(2, 'c.json', 3, '2024-05-01T10:00:00.000Z');
    await journal.finished(2, 'c.json', 3, { status: 'failed', summary: { inserted: 0, updated: 0, failed: 3, total: 3 }, errors: 0 });
    expect((await onDisk()).files['2']?.sendingSince).toBeUndefined();
  });

  it('keeps journals written before upload ids without one', async () => {
    const journal = await Auth0Journal.open(path, CONNECTION);
    await journal.sending(0, 'a.json', 1, '2024-05-01T10:00:00.000Z');
    const { uploadId: _dropped, ...old } = await onDisk();
    await writeFile(path, JSON.stringify(old));
    expect((await Auth0Journal.open(path, CONNECTION)).uploadId).toBeUndefined();
  });

  it('counts a send as refused only when Auth0 answered 4xx (429 included)', () => {
    expect(refusedWithoutJob(new TransientError('http_rate_limited', 'x', { details: { status: 429 } }))).toBe(true);
    expect(refusedWithoutJob(new DataError('auth0_file_too_large', 'x', { details: { status: 413 } }))).toBe(true);
    expect(refusedWithoutJob(new TransientError('http_5xx', 'x', { details: { status: 503 } }))).toBe(false);
    expect(refusedWithoutJob(new TransientError('http_timeout', 'x'))).toBe(false);
    expect(refusedWithoutJob(new Error('socket hang up'))).toBe(false);
  });
});
