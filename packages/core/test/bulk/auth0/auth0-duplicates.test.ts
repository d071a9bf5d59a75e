/**
 * What a DUPLICATED_USER becomes, against the fake tenant over HTTP: skipped only when
 * `GET /api/v2/users-by-email` or `GET /api/v2/users/{id}` shows the same user
 * (`auth0|{user_id}` in the job's connection) already there, whatever its email there;
 * rejected, with the reason, when the email is someone else's (a sign-up, a repeat inside
 * the file), the user_id is in another connection, or the clash is on a username. The
 * lookups keep to the free tier's rate.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type FakeAuth0, startFakeAuth0 } from '@ferry/testkit';
import { type Auth0FileResult, type Auth0JournalState, Auth0Uploader, type Auth0UserError } from '../../../src/bulk/auth0';
import { judgeDuplicates } from '../../../src/bulk/auth0/auth0-duplicates';
import { clientFor, syntheticUser, syntheticUsers, tempDir, writeImportFiles } from './import-files';

const CONNECTION = 'con_0000000000000001';
const OTHER = 'con_0000000000000002';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

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
    expect(byId('legacy-3')).toMatchObject({ outcome: 'rejected', code: 'auth0_duplicated_user', reason: expect.stringContaining('no user has this email or user_id') });
    expect(byId('user7@example.com')).toMatchObject({ outcome: 'rejected', code: 'auth0_duplicated_user', reason: expect.stringContaining('without a user_id') });

    // One lookup by email per DUPLICATED_USER that has an email and a user_id, and one by id for
    // each whose email lookup did not show it (all but legacy-1 and legacy-6), within the free tier's rate.
    expect(fake.stats.byRoute['GET /api/v2/users-by-email']).toBe(11);
    expect(fake.stats.byRoute['GET /api/v2/users/{id}']).toBe(9);
    expect(fake.stats.rateLimitViolations).toBe(0);
  }, 60_000);
});

describe('judgeDuplicates with lookups by email and by id', () => {
  let fake: FakeAuth0;
  afterEach(async () => fake.close());

  it('skips a user whose email changed in the tenant, and names the other connection that holds a user_id', async () => {
    fake = await startFakeAuth0({
      rateLimit: 'free',
      jobTiming: { pendingMs: 5, processingMs: 20 },
      connections: [
        {
          id: CONNECTION,
          name: 'db',
          users: [
            // The same user, whose email changed since (in Auth0, or in legacy).
            { email: 'changed1@example.com', user_id: 'legacy-1' },
            // The same user, same email.
            { email: 'user2@example.com', user_id: 'legacy-2' },
            // A native sign-up with legacy user 3's email.
            { email: 'user3@example.com' },
            // Holds the username legacy user 4 has.
            { email: 'someone@example.com', username: 'taken' },
          ],
        },
        {
          id: OTHER,
          name: 'other-db',
          users: [
            // Legacy users 5 and 6 imported into another connection, with and without their email.
            { email: 'user5@example.com', user_id: 'legacy-5' },
            { email: 'old6@example.com', user_id: 'legacy-6' },
          ],
        },
      ],
    });
    const users = [...syntheticUsers(1, 8)].map((u, i) => (i === 3 ? { ...u, username: 'taken' } : i === 6 ? { ...u, user_id: undefined } : u));
    const { client } = clientFor(fake, 'free');
    const job = await client.createImportJob(Buffer.from(JSON.stringify(users)), { connectionId: CONNECTION });
    let done = await client.getJob(job.id);
    while (done.status !== 'completed') {
      await sleep(20);
      done = await client.getJob(job.id);
    }
    const { users: errors } = await client.getJobErrors(job.id);
    expect(errors.map((e) => e.user_id ?? e.email)).toEqual(['legacy-1', 'legacy-2', 'legacy-3', 'legacy-4', 'legacy-5', 'legacy-6']);
    const judged = await judgeDuplicates(errors, { usersByEmail: (email) => client.getUsersByEmail(email), userById: (id) => client.getUser(id), connection: done.connection });
    await client.close();

    const byId = (id: string): Auth0UserError | undefined => judged.find((e) => e.user_id === id);
    expect(byId('legacy-1')).toMatchObject({ verdict: 'already_in_tenant', message: expect.stringContaining('Already in Auth0 as auth0|legacy-1 (same user_id and connection, but with the email changed1@example.com there)') });
    expect(byId('legacy-2')).toMatchObject({ verdict: 'already_in_tenant', message: expect.stringContaining('Already in Auth0 as auth0|legacy-2 (same email and user_id)') });
    expect(byId('legacy-3')).toMatchObject({ verdict: 'email_in_use', message: expect.stringContaining('the email belongs to another Auth0 user (auth0|') });
    expect(byId('legacy-4')).toMatchObject({ verdict: 'duplicated_user', message: expect.stringContaining('no user has this email or user_id, so its username belongs to someone else') });
    for (const id of ['legacy-5', 'legacy-6']) {
      const error = byId(id);
      expect(error).toMatchObject({ verdict: 'duplicated_user', message: expect.stringContaining(`Not imported: auth0|${id} is already in the tenant, but in another connection (other-db)`) });
      expect(error?.message).not.toContain('belongs to another Auth0 user');
    }

    // One lookup by email each; one by id only when the email did not settle it: never more than two.
    expect(fake.stats.byRoute['GET /api/v2/users-by-email']).toBe(6);
    expect(fake.stats.byRoute['GET /api/v2/users/{id}']).toBe(4);
    expect(fake.stats.rateLimitViolations).toBe(0);
  }, 30_000);
});
