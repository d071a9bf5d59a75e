/**
 * The fake Auth0 Management API speaks Auth0's documented shapes: token grant, import
 * jobs and their states, per-user errors, the size, concurrency and rate limits.
 */
import { DUPLICATED_IN_FILE, type FakeAuth0, startFakeAuth0 } from '../src';

const HOUR = 3600_000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function token(fake: FakeAuth0): Promise<string> {
  const res = await fetch(`${fake.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: fake.clientId, client_secret: fake.clientSecret, audience: `https://${fake.domain}/api/v2/` }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

function importForm(users: unknown, fields: Record<string, string> = {}, connectionId = 'con_0000000000000001'): FormData {
  const form = new FormData();
  form.append('users', new Blob([typeof users === 'string' ? users : JSON.stringify(users)], { type: 'application/json' }), 'users.json');
  form.append('connection_id', connectionId);
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  return form;
}

async function createJob(fake: FakeAuth0, bearer: string, form: FormData): Promise<Response> {
  return fetch(`${fake.url}/api/v2/jobs/users-imports`, { method: 'POST', headers: { authorization: `Bearer ${bearer}` }, body: form });
}

async function get(fake: FakeAuth0, bearer: string, path: string): Promise<Response> {
  return fetch(`${fake.url}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
}

describe('fake Auth0 Management API', () => {
  let fake: FakeAuth0;
  afterEach(async () => fake.close());

  it('grants client-credentials tokens for JSON and form bodies, and refuses bad secrets and audiences', async () => {
    fake = await startFakeAuth0({ rateLimit: false });
    const audience = `https://${fake.domain}/api/v2/`;
    const form = await fetch(`${fake.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: fake.clientId, client_secret: fake.clientSecret, audience }),
    });
    expect(form.status).toBe(200);
    expect(await form.json()).toEqual({ access_token: expect.any(String), scope: expect.any(String), expires_in: 86400, token_type: 'Bearer' });
    const bad = await fetch(`${fake.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: fake.clientId, client_secret: 'nope', audience }),
    });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ error: 'access_denied', error_description: 'Unauthorized' });
    const wrongAudience = await fetch(`${fake.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: fake.clientId, client_secret: fake.clientSecret, audience: 'https://other/api/v2/' }),
    });
    expect(wrongAudience.status).toBe(403);
    expect(fake.stats.tokensIssued).toBe(1);
  });

  it('runs an import job through pending, processing and completed, with per-user errors', async () => {
    fake = await startFakeAuth0({
      rateLimit: false,
      jobTiming: { pendingMs: 40, processingMs: 80 },
      connections: [{ id: 'con_0000000000000001', name: 'Username-Password-Authentication', users: [{ email: 'old@example.com' }] }],
    });
    const bearer = await token(fake);
    const users = [
      { email: 'a@example.com', user_id: 'a', custom_password_hash: { algorithm: 'bcrypt', hash: { value: '$2b$10$abcdefghijklmnopqrstuv' } } },
      { email: 'a@example.com', user_id: 'a2' },
      { email: 'OLD@example.com' },
      { email: 'not-an-email' },
      { user_id: 'no-email' },
    ];
    const created = await createJob(fake, bearer, importForm(users, { external_id: 'run-1', upsert: 'false', send_completion_email: 'false' }));
    expect(created.status).toBe(202);
    const job = (await created.json()) as Record<string, unknown>;
    expect(job).toEqual({
      status: 'pending',
      type: 'users_import',
      created_at: expect.any(String),
      id: expect.stringMatching(/^job_[A-Za-z0-9]{16}$/),
      connection_id: 'con_0000000000000001',
      connection: 'Username-Password-Authentication',
      external_id: 'run-1',
    });
    const id = job.id as string;
    expect(((await (await get(fake, bearer, `/api/v2/jobs/${id}`)).json()) as { status: string }).status).toBe('pending');
    await sleep(60);
    const processing = (await (await get(fake, bearer, `/api/v2/jobs/${id}`)).json()) as Record<string, unknown>;
    expect(processing).toMatchObject({ status: 'processing', percentage_done: expect.any(Number), time_left_seconds: expect.any(Number) });
    await sleep(80);
    const done = (await (await get(fake, bearer, `/api/v2/jobs/${id}`)).json()) as Record<string, unknown>;
    expect(done).toMatchObject({ status: 'completed', summary: { failed: 4, updated: 0, inserted: 1, total: 5 } });

    const errors = (await (await get(fake, bearer, `/api/v2/jobs/${id}/errors`)).json()) as { user: Record<string, unknown>; errors: { code: string; message: string }[] }[];
    expect(errors.map((e) => e.errors[0]?.code)).toEqual(['DUPLICATED_USER', 'DUPLICATED_USER', 'FORMAT', 'OBJECT_REQUIRED']);
    expect(errors[0]?.errors[0]?.message).toBe(DUPLICATED_IN_FILE);
    expect(fake.users().map((u) => u.email).sort()).toEqual(['a@example.com', 'old@example.com']);
    expect(fake.users().find((u) => u.email === 'a@example.com')?.user_id).toBe('auth0|a');
  });

  it('answers 204 when a job has no errors, updates with upsert, and forgets jobs after the retention', async () => {
    fake = await startFakeAuth0({ rateLimit: false, jobTiming: { pendingMs: 1, processingMs: 1, retentionMs: 150 } });
    const bearer = await token(fake);
    const first = (await (await createJob(fake, bearer, importForm([{ email: 'x@example.com', name: 'X' }]))).json()) as { id: string };
    await sleep(10);
    expect((await get(fake, bearer, `/api/v2/jobs/${first.id}/errors`)).status).toBe(204);
    const second = (await (await createJob(fake, bearer, importForm([{ email: 'x@example.com', name: 'Y' }], { upsert: 'true' }))).json()) as { id: string };
    await sleep(10);
    expect(await (await get(fake, bearer, `/api/v2/jobs/${second.id}`)).json()).toMatchObject({ summary: { inserted: 0, updated: 1, failed: 0, total: 1 } });
    expect(fake.users()[0]?.profile.name).toBe('Y');
    await sleep(200);
    const gone = await get(fake, bearer, `/api/v2/jobs/${first.id}`);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'The job does not exist.', errorCode: 'inexistent_job' });
  });

  it('fails a job not completed 2 hours after creation; a completed job stays completed, errors included, until deleted after 24 hours', async () => {
    let now = Date.now();
    fake = await startFakeAuth0({
      rateLimit: false,
      now: () => now,
      jobTiming: { pendingMs: 1000, processingMs: 60_000 },
      connections: [{ id: 'con_0000000000000001', name: 'db', users: [{ email: 'old@example.com' }] }],
    });
    const bearer = await token(fake);
    const done = (await (await createJob(fake, bearer, importForm([{ email: 'new@example.com' }, { email: 'old@example.com' }]))).json()) as { id: string };
    now += 2 * HOUR + 1;
    // Past 2 hours, a completed job is still completed and its errors can still be read.
    expect(await (await get(fake, bearer, `/api/v2/jobs/${done.id}`)).json()).toMatchObject({ status: 'completed', summary: { inserted: 1, failed: 1, total: 2 } });
    expect(((await (await get(fake, bearer, `/api/v2/jobs/${done.id}/errors`)).json()) as { errors: { code: string }[] }[])[0]?.errors[0]?.code).toBe('DUPLICATED_USER');
    now += 22 * HOUR;
    expect((await get(fake, bearer, `/api/v2/jobs/${done.id}`)).status).toBe(404);
    await fake.close();

    now = Date.now();
    fake = await startFakeAuth0({ rateLimit: false, now: () => now, jobTiming: { pendingMs: 1000, processingMs: 3 * HOUR } });
    const slowBearer = await token(fake);
    const slow = (await (await createJob(fake, slowBearer, importForm([{ email: 'slow@example.com' }]))).json()) as { id: string };
    now += HOUR;
    expect(await (await get(fake, slowBearer, `/api/v2/jobs/${slow.id}`)).json()).toMatchObject({ status: 'processing' });
    now += HOUR;
    expect(await (await get(fake, slowBearer, `/api/v2/jobs/${slow.id}`)).json()).toMatchObject({
      status: 'failed',
      summary: { inserted: 0, failed: 1, total: 1 },
      status_details: expect.stringContaining('2 hours'),
    });
    expect(fake.activeJobs()).toBe(0);
    expect(fake.users()).toEqual([]);
  });

  it('finds users by email across connections, exactly and in lower case, with their identities and the fields asked for', async () => {
    fake = await startFakeAuth0({
      rateLimit: false,
      jobTiming: { pendingMs: 1, processingMs: 1 },
      connections: [
        { id: 'con_0000000000000001', name: 'db', users: [{ email: 'Ann@Example.com', user_id: 'ann' }] },
        { id: 'con_0000000000000002', name: 'other-db', users: [{ email: 'ann@example.com', user_id: 'ann2' }] },
      ],
    });
    const bearer = await token(fake);
    const found = (await (await get(fake, bearer, '/api/v2/users-by-email?email=ann%40example.com')).json()) as Record<string, unknown>[];
    expect(found).toEqual([
      expect.objectContaining({ user_id: 'auth0|ann', email: 'ann@example.com', identities: [{ connection: 'db', user_id: 'ann', provider: 'auth0', isSocial: false }] }),
      expect.objectContaining({ user_id: 'auth0|ann2', email: 'ann@example.com', identities: [{ connection: 'other-db', user_id: 'ann2', provider: 'auth0', isSocial: false }] }),
    ]);
    // Case-sensitive, like Auth0: its users' emails are stored in lower case.
    expect(await (await get(fake, bearer, '/api/v2/users-by-email?email=Ann%40Example.com')).json()).toEqual([]);
    const some = await (await get(fake, bearer, '/api/v2/users-by-email?email=ann%40example.com&fields=user_id,email&include_fields=true')).json();
    expect(some).toEqual([
      { user_id: 'auth0|ann', email: 'ann@example.com' },
      { user_id: 'auth0|ann2', email: 'ann@example.com' },
    ]);
    const missing = await get(fake, bearer, '/api/v2/users-by-email');
    expect(missing.status).toBe(400);
    expect(fake.stats.byRoute['GET /api/v2/users-by-email']).toBe(4);
  });

  it('gets a user by id across connections (URL-encoded, with the fields asked for) or answers 404, rate-limited like the rest', async () => {
    fake = await startFakeAuth0({
      rateLimit: 'paid',
      connections: [
        { id: 'con_0000000000000001', name: 'db', users: [{ email: 'Ann@Example.com', user_id: 'ann', username: 'annie' }] },
        { id: 'con_0000000000000002', name: 'other-db', users: [{ email: 'bob@example.com', user_id: 'bob' }] },
      ],
    });
    const bearer = await token(fake);
    const ann = await get(fake, bearer, `/api/v2/users/${encodeURIComponent('auth0|ann')}`);
    expect(ann.status).toBe(200);
    expect(ann.headers.get('x-ratelimit-limit')).toBe('50');
    expect(ann.headers.get('x-ratelimit-remaining')).toEqual(expect.any(String));
    expect(await ann.json()).toEqual({
      user_id: 'auth0|ann',
      email: 'ann@example.com',
      email_verified: false,
      username: 'annie',
      identities: [{ connection: 'db', user_id: 'ann', provider: 'auth0', isSocial: false }],
    });
    const bob = await get(fake, bearer, `/api/v2/users/${encodeURIComponent('auth0|bob')}?fields=user_id,identities&include_fields=true`);
    expect(await bob.json()).toEqual({ user_id: 'auth0|bob', identities: [{ connection: 'other-db', user_id: 'bob', provider: 'auth0', isSocial: false }] });
    const without = await get(fake, bearer, `/api/v2/users/${encodeURIComponent('auth0|bob')}?fields=identities,email_verified&include_fields=false`);
    expect(await without.json()).toEqual({ user_id: 'auth0|bob', email: 'bob@example.com' });
    for (const id of ['auth0|nobody', 'auth0|a/b c', 'ann']) {
      const missing = await get(fake, bearer, `/api/v2/users/${encodeURIComponent(id)}`);
      expect(missing.status).toBe(404);
      expect(missing.headers.get('x-ratelimit-limit')).toBe('50');
      expect(await missing.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'The user does not exist.', errorCode: 'inexistent_user' });
    }
    expect((await fetch(`${fake.url}/api/v2/users/${encodeURIComponent('auth0|ann')}`)).status).toBe(401);
    expect(fake.stats.byRoute['GET /api/v2/users/{id}']).toBe(7);
  });

  it('refuses an import of a user_id held in another connection (user_ids are unique across the tenant)', async () => {
    fake = await startFakeAuth0({
      rateLimit: false,
      jobTiming: { pendingMs: 1, processingMs: 1 },
      connections: [
        { id: 'con_0000000000000001', name: 'db' },
        { id: 'con_0000000000000002', name: 'other-db', users: [{ email: 'bob@example.com', user_id: 'bob' }] },
      ],
    });
    const bearer = await token(fake);
    const plain = (await (await createJob(fake, bearer, importForm([{ email: 'bob@example.com', user_id: 'bob' }, { email: 'bob2@example.com', user_id: 'bob2' }]))).json()) as { id: string };
    const upsert = (await (await createJob(fake, bearer, importForm([{ email: 'new@example.com', user_id: 'bob' }], { upsert: 'true' }))).json()) as { id: string };
    await sleep(10);
    const errors = (await (await get(fake, bearer, `/api/v2/jobs/${plain.id}/errors`)).json()) as { user: Record<string, unknown>; errors: { code: string }[] }[];
    expect(errors.map((e) => [e.user.user_id, e.errors[0]?.code])).toEqual([['bob', 'DUPLICATED_USER']]);
    const upserted = (await (await get(fake, bearer, `/api/v2/jobs/${upsert.id}/errors`)).json()) as { errors: { code: string; path?: string }[] }[];
    expect(upserted[0]?.errors).toEqual([expect.objectContaining({ code: 'CONFLICT', path: 'user_id' })]);
    expect(fake.users().map((u) => u.user_id)).toEqual(['auth0|bob2']);
  });

  it('refuses a third concurrent job (429), a users file over 512000 bytes (413), bad connections and bad JSON (400)', async () => {
    fake = await startFakeAuth0({ rateLimit: false, jobTiming: { pendingMs: 5000, processingMs: 5000 } });
    const bearer = await token(fake);
    expect((await createJob(fake, bearer, importForm([{ email: 'a@example.com' }]))).status).toBe(202);
    expect((await createJob(fake, bearer, importForm([{ email: 'b@example.com' }]))).status).toBe(202);
    const third = await createJob(fake, bearer, importForm([{ email: 'c@example.com' }]));
    expect(third.status).toBe(429);
    expect(await third.json()).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: 'There are 2 active import users jobs, please wait until some of them are finished and try again',
      errorCode: 'too_many_requests',
    });
    const big = await createJob(fake, bearer, importForm(`[${'"x",'.repeat(130_000)}"x"]`));
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ statusCode: 413, error: 'Request Entity Too Large', message: 'Payload content length greater than maximum allowed: 512000' });
    const badId = await createJob(fake, bearer, importForm([], {}, 'con_short'));
    expect(badId.status).toBe(400);
    expect(await badId.json()).toMatchObject({ statusCode: 400, errorCode: 'invalid_body', message: expect.stringContaining('connection_id') });
    const unknown = await createJob(fake, bearer, importForm([], {}, 'con_AAAAAAAAAAAAAAAA'));
    expect(await unknown.json()).toMatchObject({ statusCode: 400, errorCode: 'inexistent_connection' });
    expect((await createJob(fake, bearer, importForm('{not json'))).status).toBe(400);
    expect(fake.stats).toMatchObject({ concurrentJobRejections: 1, payloadTooLarge: 1, jobsCreated: 2, maxConcurrentJobsSeen: 2 });
  });

  it('checks bearer tokens and rate-limits with x-ratelimit-* headers and a too_many_requests body', async () => {
    fake = await startFakeAuth0({ rateLimit: { ratePerSecond: 1, burst: 3 } });
    const missing = await fetch(`${fake.url}/api/v2/jobs/job_0000000000000000`);
    expect(missing.status).toBe(401);
    const bearer = await token(fake);
    const invalid = await get(fake, 'not-a-token', '/api/v2/jobs/job_0000000000000000');
    expect(await invalid.json()).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Invalid token', attributes: { error: 'Invalid token' } });
    const answers = [];
    for (let i = 0; i < 2; i++) answers.push(await get(fake, bearer, '/api/v2/jobs/job_0000000000000000'));
    const limited = answers[1];
    expect(limited?.status).toBe(429);
    expect(limited?.headers.get('x-ratelimit-limit')).toBe('3');
    expect(limited?.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(limited?.headers.get('x-ratelimit-reset'))).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000));
    expect(await limited?.json()).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: 'Too many requests. Check the X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset headers.',
      errorCode: 'too_many_requests',
    });
    expect(fake.stats.rateLimitViolations).toBe(1);
  });
});
