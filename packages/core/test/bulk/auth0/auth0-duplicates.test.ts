/**
 * What a DUPLICATED_USER becomes, against the fake tenant over HTTP: skipped only when
 * `GET /api/v2/users-by-email` shows the same user (`auth0|{user_id}`) already there;
 * rejected, with the reason, when the email is someone else's (a sign-up, a repeat inside
 * the file) or the clash is on a username. The lookups keep to the free tier's rate.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type FakeAuth0, startFakeAuth0 } from '@ferry/testkit';
import { type Auth0FileResult, type Auth0JournalState, Auth0Uploader } from '../../../src/bulk/auth0';
import { clientFor, syntheticUser, syntheticUsers, tempDir, writeImportFiles } from './import-files';

const CONNECTION = 'con_0000000000000001';

describe('Auth0Uploader: DUPLICATED_USER', () => {
  let fake: FakeAuth0;
  let tmp: { dir: string; remove: () => Promise<void> };
  beforeEach(async () => {
    tmp = await tempDir();
  });
  afterEach(async () => {
    await fake.close();
    await tmp.remove();
  });

  it('skips the users already in the tenant under their user_id and rejects the others with the reason', async () => {
    const signUps = [...syntheticUsers(10, 16)].map((u) => ({ email: u.email as string }));
    fake = await startFakeAuth0({
      rateLimit: 'free',
      jobTiming: { pendingMs: 5, processingMs: 20 },
      connections: [
        {
          id: CONNECTION,
          name: 'db',
          users: [
            // Imported before (an earlier run, or trickle migration): the same user.
            { email: 'user1@example.com', user_id: 'legacy-1' },
            { email: 'user6@example.com', user_id: 'legacy-6' },
            // Signed up natively with a legacy user's email: not that user.
            { email: 'user2@example.com' },
            ...signUps,
            // Holds the username legacy user 3 has.
            { email: 'someone@example.com', username: 'taken' },
            // The same email, but the record has no user_id to compare.
            { email: 'user7@example.com', user_id: 'legacy-7' },
          ],
        },
      ],
    });
    const users = [...syntheticUsers(0, 30)].map((u, i) => (i === 3 ? { ...u, username: 'taken' } : i === 6 ? { ...u, email: 'User6@Example.com' } : i === 7 ? { ...u, user_id: undefined } : u));
    users.push({ ...syntheticUser(5), user_id: 'again' });
    const files = await writeImportFiles(tmp.dir, users);
    const journalPath = join(tmp.dir, 'journal.json');
    const reportPath = join(tmp.dir, 'report.ndjson');
    const { client } = clientFor(fake, 'free');
    const results: Auth0FileResult[] = [];
    const summary = await new Auth0Uploader(client, { connectionId: CONNECTION, journalPath, report: { path: reportPath }, pollIntervalMs: 20, maxPollIntervalMs: 200 }).run(files, {
      onFileDone: (r) => void results.push(r),
    });
    await client.close();

    const verdicts = Object.fromEntries(results.flatMap((r) => r.errors).map((e) => [e.user_id ?? e.email, e.verdict]));
    expect(verdicts).toEqual({
      'legacy-1': 'already_in_tenant',
      'legacy-6': 'already_in_tenant',
      'legacy-2': 'email_in_use',
      ...Object.fromEntries([...syntheticUsers(10, 16)].map((u) => [u.user_id, 'email_in_use'])),
      'legacy-3': 'duplicated_user',
      'user7@example.com': 'duplicated_user',
      again: 'email_in_use',
    });
    expect(summary).toMatchObject({ inserted: 31 - 12, failed: 12, alreadyThere: 2, alreadyImported: 0 });
    const journal = JSON.parse(await readFile(journalPath, 'utf8')) as Auth0JournalState;
    expect(Object.values(journal.files).reduce((n, f) => n + (f.done?.duplicates ?? 0), 0)).toBe(2);

    const lines = (await readFile(reportPath, 'utf8')).split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, string>);
    const byId = (id: string) => lines.find((l) => (l.user_id ?? l.email) === id);
    expect(lines).toHaveLength(12);
    expect(byId('legacy-1')).toEqual({ outcome: 'skipped', code: 'auth0_already_in_tenant', reason: expect.stringContaining('Already in Auth0 as auth0|legacy-1'), user_id: 'legacy-1', email: 'user1@example.com' });
    expect(byId('legacy-6')).toMatchObject({ outcome: 'skipped', code: 'auth0_already_in_tenant' });
    expect(byId('legacy-2')).toMatchObject({ outcome: 'rejected', code: 'auth0_email_in_use', reason: expect.stringContaining('belongs to another Auth0 user (auth0|') });
    expect(byId('again')).toMatchObject({ outcome: 'rejected', code: 'auth0_email_in_use', reason: expect.stringContaining('auth0|legacy-5') });
    expect(byId('legacy-3')).toMatchObject({ outcome: 'rejected', code: 'auth0_duplicated_user', reason: expect.stringContaining('username or user_id belongs to someone else') });
    expect(byId('user7@example.com')).toMatchObject({ outcome: 'rejected', code: 'auth0_duplicated_user', reason: expect.stringContaining('without a user_id') });

    // One lookup per DUPLICATED_USER that has an email and a user_id, within the free tier's rate.
    expect(fake.stats.byRoute['GET /api/v2/users-by-email']).toBe(11);
    expect(fake.stats.rateLimitViolations).toBe(0);
  }, 60_000);
});
