/**
 * The Management API client against the fake tenant: token caching and renewal, a
 * refused token renewed once, pacing under the free tier, typed errors, and no token or
 * secret in logs or errors.
 */
import { type FakeAuth0, startFakeAuth0 } from '@ferry/testkit';
import { AuthError, ConfigError, FerryError } from '../../../src/errors';
import { Auth0Uploader, type Auth0TargetConfig, auth0TargetConfigSchema } from '../../../src/bulk/auth0';
import { secretPaths, validateConfig } from '../../../src/config/validate';
import { clientFor, syntheticUsers, tempDir, writeImportFiles } from './import-files';

const CONNECTION = 'con_0000000000000001';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function caught(promise: Promise<unknown>): Promise<FerryError> {
  const err: unknown = await promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
  if (!(err instanceof FerryError)) throw err;
  return err;
}

describe('Auth0ManagementClient against the fake Auth0', () => {
  let fake: FakeAuth0;
  afterEach(async () => fake.close());

  it('creates a job, reads it and its errors, with one cached token', async () => {
    fake = await startFakeAuth0({ jobTiming: { pendingMs: 1, processingMs: 1 } });
    const { client } = clientFor(fake);
    const job = await client.createImportJob(Buffer.from(JSON.stringify([{ email: 'a@example.com' }, { email: 'a@example.com' }])), { connectionId: CONNECTION, externalId: 'x1' });
    expect(job).toMatchObject({ status: 'pending', type: 'users_import', connection_id: CONNECTION, external_id: 'x1' });
    await sleep(10);
    expect(await client.getJob(job.id)).toMatchObject({ status: 'completed', summary: { inserted: 1, failed: 1, updated: 0, total: 2 } });
    expect(await client.getJobErrors(job.id)).toEqual({ users: [{ email: 'a@example.com', code: 'DUPLICATED_USER', message: expect.any(String) }] });
    // A user refused for several reasons keeps every code (the first is `code`).
    const several = await client.createImportJob(Buffer.from(JSON.stringify([{ user_id: 7, name: 'x'.repeat(200) }])), { connectionId: CONNECTION });
    await sleep(10);
    expect((await client.getJobErrors(several.id)).users).toEqual([{ code: 'OBJECT_REQUIRED', codes: ['OBJECT_REQUIRED', 'INVALID_TYPE', 'MAX_LENGTH'], message: expect.any(String), path: 'email' }]);
    expect(client.tokensFetched).toBe(1);
    expect(fake.stats.tokensIssued).toBe(1);
    const missing = await caught(client.getJob('job_AAAAAAAAAAAAAAAA'));
    expect(missing).toMatchObject({ code: 'auth0_job_not_found', errorClass: 'data' });
    await client.close();
  });

  it('exports a connection\'s users and downloads the file without sending the token', async () => {
    fake = await startFakeAuth0({ jobTiming: { pendingMs: 1, processingMs: 5 }, connections: [{ id: CONNECTION, name: 'db', users: [{ email: 'a@example.com', user_id: 'a' }, { email: 'b@example.com' }] }] });
    const { client } = clientFor(fake);
    const job = await client.createExportJob({ connectionId: CONNECTION, fields: ['user_id', 'email'] });
    expect(job).toMatchObject({ type: 'users_export', status: 'pending', connection_id: CONNECTION });
    await sleep(20);
    const done = (await client.getJob(job.id)) as { status: string; location?: string };
    expect(done.status).toBe('completed');
    const users = await client.downloadExport(done.location ?? '');
    expect(users).toEqual([{ user_id: 'auth0|a', email: 'a@example.com' }, { user_id: expect.stringMatching(/^auth0\|/), email: 'b@example.com' }]);
    expect(fake.stats.downloadsWithToken).toBe(0);
    await client.close();
  });

  it('gets a user by id (URL-encoded; ids, email and connections only), undefined when Auth0 answers 404', async () => {
    fake = await startFakeAuth0({ connections: [{ id: CONNECTION, name: 'db', users: [{ email: 'a@example.com', user_id: 'a' }] }] });
    const { client } = clientFor(fake);
    expect(await client.getUser('auth0|a')).toEqual({ user_id: 'auth0|a', email: 'a@example.com', identities: [{ connection: 'db', provider: 'auth0', user_id: 'a' }] });
    expect(await client.getUser('auth0|nobody')).toBeUndefined();
    expect(await client.getUser('auth0|a/b?c')).toBeUndefined();
    expect(fake.stats.byRoute['GET /api/v2/users/{id}']).toBe(3);
    await client.close();
  });

  it('renews the token before it expires, so Auth0 never sees an expired one', async () => {
    fake = await startFakeAuth0({ tokenLifetimeSeconds: 2 });
    const { client } = clientFor(fake);
    const job = await client.createImportJob(Buffer.from('[]'), { connectionId: CONNECTION });
    // Renewed at half the lifetime (the margin is capped there), so Auth0 never sees an expired token.
    for (let i = 0; i < 6; i++) {
      await client.getJob(job.id);
      await sleep(500);
    }
    expect(client.tokensFetched).toBeGreaterThanOrEqual(3);
    expect(fake.stats.unauthorized).toBe(0);
    await client.close();
  });

  it('renews a token Auth0 refuses (401) once, transparently', async () => {
    fake = await startFakeAuth0();
    const { client } = clientFor(fake);
    const job = await client.createImportJob(Buffer.from('[]'), { connectionId: CONNECTION });
    fake.revokeTokens();
    expect(await client.getJob(job.id)).toMatchObject({ id: job.id });
    expect(fake.stats.unauthorized).toBe(1);
    expect(client.tokensFetched).toBe(2);
    await client.close();
  });

  it('paces itself under the free tier (2/s, burst 10): no rate-limit violations', async () => {
    fake = await startFakeAuth0({ rateLimit: 'free' });
    const { client } = clientFor(fake, 'free');
    const job = await client.createImportJob(Buffer.from('[]'), { connectionId: CONNECTION });
    const started = Date.now();
    await Promise.all(Array.from({ length: 13 }, () => client.getJob(job.id)));
    expect(fake.stats.rateLimitViolations).toBe(0);
    // 14 requests with a burst of 9 kept in hand: the last ones wait for tokens.
    expect(Date.now() - started).toBeGreaterThan(2000);
    await client.close();
  });

  it('never puts the client secret or a token in errors or logs', async () => {
    fake = await startFakeAuth0({ jobTiming: { pendingMs: 1, processingMs: 1 } });
    const good = clientFor(fake);
    const job = await good.client.createImportJob(Buffer.from(JSON.stringify([{ email: 'a@example.com' }])), { connectionId: CONNECTION });
    await good.client.getJob(job.id);
    fake.revokeTokens();
    await good.client.getJob(job.id);
    await good.client.close();

    const bad = clientFor(fake, 'paid', { clientSecret: 'wrong-secret-value' });
    const refused = await caught(bad.client.getJob(job.id));
    await bad.client.close();
    expect(refused).toBeInstanceOf(AuthError);
    expect(refused.code).toBe('auth0_token_refused');

    const texts = [...good.lines, ...bad.lines, refused.message, JSON.stringify(refused.toJSON()), String(refused.stack)].join('\n');
    expect(good.lines.length).toBeGreaterThan(0);
    for (const secret of [fake.clientSecret, 'wrong-secret-value', ...fake.issuedTokens()]) expect(texts).not.toContain(secret);
    expect(texts).not.toMatch(/Bearer \S/);
  });

  it('stops the upload with a config error when the connection does not exist', async () => {
    fake = await startFakeAuth0();
    const tmp = await tempDir();
    try {
      const files = await writeImportFiles(tmp.dir, syntheticUsers(0, 5));
      const { client } = clientFor(fake);
      const err = await caught(new Auth0Uploader(client, { connectionId: 'con_AAAAAAAAAAAAAAAA' }).run(files, { onFileDone: () => undefined }));
      await client.close();
      expect(err).toBeInstanceOf(ConfigError);
      expect(err.code).toBe('auth0_connection_invalid');
    } finally {
      await tmp.remove();
    }
  });
});

describe('auth0TargetConfigSchema', () => {
  it('fills the defaults (send_completion_email false, free tier, 2 jobs) and marks the secret', () => {
    const config = validateConfig<Auth0TargetConfig>(auth0TargetConfigSchema, { domain: 'acme.eu.auth0.com', clientId: 'id', clientSecret: 's', connectionId: CONNECTION }, 'target.auth0');
    expect(config).toEqual({ domain: 'acme.eu.auth0.com', clientId: 'id', clientSecret: 's', connectionId: CONNECTION, upsert: false, sendCompletionEmail: false, tier: 'free', maxJobsInFlight: 2 });
    expect(secretPaths(auth0TargetConfigSchema)).toEqual(['clientSecret']);
    expect(validateConfig<Auth0TargetConfig>(auth0TargetConfigSchema, { ...config, tier: { ratePerSecond: 5, burst: 20 } }, 'target.auth0').tier).toEqual({ ratePerSecond: 5, burst: 20 });
    expect(() => validateConfig(auth0TargetConfigSchema, { ...config, maxJobsInFlight: 3 }, 'target.auth0')).toThrow(/maxJobsInFlight/);
    expect(() => validateConfig(auth0TargetConfigSchema, { ...config, connectionId: 'Username-Password-Authentication' }, 'target.auth0')).toThrow(/connectionId/);
  });
});
