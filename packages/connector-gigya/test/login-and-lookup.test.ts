/** Login error codes, lookups with hostile emails, mapping, transport and credentials against the fake Gigya site. */
import { AuthError, ConfigError, DataError, TransientError } from '@ferry/core';
import { type FakeGigya, parseQuery, startFakeGigya } from '@ferry/testkit';
import { signatureBaseString } from '../src';
import { connectFake, testContext } from './gigya-fixture';

let fake: FakeGigya;
const PW = 'Correct-horse-9';

beforeAll(async () => {
  fake = await startFakeGigya({
    accounts: [
      { UID: 'uid-ok', email: 'ok@example.com', password: PW, firstName: 'Ok', lastName: 'User', nickname: 'okay', photoURL: 'https://cdn.example.com/ok.jpg', data: { plan: 'pro', tier: 3, theme: 'dark' } },
      { UID: 'uid-unv', email: 'unverified@example.com', password: PW, emailVerified: false, loginState: 'pendingVerification' },
      { UID: 'uid-tfa', email: 'tfa@example.com', password: PW, loginState: 'pendingTfa' },
      { UID: 'uid-pwc', email: 'pwchange@example.com', password: PW, loginState: 'pendingPasswordChange' },
      { UID: 'uid-reg', email: 'pendingreg@example.com', password: PW, loginState: 'pendingRegistration' },
      { UID: 'uid-lock', email: 'locked@example.com', password: PW, loginState: 'locked' },
      { UID: 'uid-off', email: 'inactive@example.com', password: PW, isActive: false },
      { UID: 'uid-quote', email: 'o"brien@example.com', password: PW },
      { UID: 'uid-slash', email: 'back\\slash@example.com', password: PW },
      { UID: 'uid-dupA', email: 'dup@example.com', password: PW },
      { UID: 'uid-hash-only', email: 'hashonly@example.com', passwordHash: { hash: 'XMGVWTbeKf4Xd+CGiuEZde8x7QA=', hashSettings: { algorithm: 'pbkdf2', rounds: 10000, salt: 'wJuJqLoUFsdXa8k3sFhRlA==' } } },
    ],
  });
  // A second account holding dup@example.com as a login ID (Gigya allows it across linked identities only; the fake does not care).
  const second = fake.addAccount({ UID: 'uid-dupB', email: 'other@example.com', password: PW });
  (second.account.loginIDs as { emails: string[] }).emails.push('dup@example.com');
});
afterAll(() => fake.close());

describe('login codes', () => {
  it.each([
    ['ok@example.com', 'wrong-password', 403042, { ok: false, reason: 'invalid_credentials' }],
    ['nobody@example.com', PW, 403042, { ok: false, reason: 'invalid_credentials' }],
    ['locked@example.com', PW, 403120, { ok: false, reason: 'locked' }],
    ['inactive@example.com', PW, 403041, { ok: false, reason: 'disabled' }],
    ['pendingreg@example.com', PW, 206001, { ok: false, reason: 'unverified' }],
  ])('%s with password %s → Gigya %d → %j', async (identifier, password, code, outcome) => {
    const c = connectFake(fake);
    await expect(c.login!(identifier, password)).resolves.toEqual(outcome);
    expect(fake.requests.filter((r) => r.method === 'accounts.login').at(-1)?.errorCode).toBe(code);
    await c.close?.();
  });

  it.each([
    ['unverified@example.com', 206002, 'uid-unv', { unverified: true }],
    ['tfa@example.com', 403101, 'uid-tfa', { mfaRequired: true }],
    ['pwchange@example.com', 403100, 'uid-pwc', { passwordChangeRequired: true }],
  ])('%s → Gigya %d: the password was right; profile via regToken, with flags', async (identifier, code, uid, flags) => {
    const c = connectFake(fake);
    const outcome = await c.login!(identifier, PW);
    expect(outcome).toEqual({ ok: true, profile: expect.objectContaining({ user_id: uid }), flags });
    expect(fake.requests.filter((r) => r.method === 'accounts.login').at(-1)?.errorCode).toBe(code);
    expect(fake.requests.at(-1)).toMatchObject({ method: 'accounts.getAccountInfo', params: { regToken: expect.any(String), include: 'profile,data,emails,loginIDs' } });
    // The wrong password on the same account is still a plain invalid_credentials.
    await expect(c.login!(identifier, `${PW}x`)).resolves.toEqual({ ok: false, reason: 'invalid_credentials' });
    await c.close?.();
  });

  it('maps the account of a successful login (getAccountInfo with the shared include list)', async () => {
    const c = connectFake(fake, testContext(), { appMetadataKeys: ['plan', 'tier'] });
    const outcome = await c.login!('OK@example.com', PW);
    expect(outcome).toEqual({
      ok: true,
      profile: {
        user_id: 'uid-ok',
        email: 'ok@example.com',
        email_verified: true,
        given_name: 'Ok',
        family_name: 'User',
        name: 'Ok User',
        nickname: 'okay',
        picture: 'https://cdn.example.com/ok.jpg',
        app_metadata: { plan: 'pro', tier: 3 },
        user_metadata: { theme: 'dark' },
      },
    });
    expect(fake.requests.at(-1)).toMatchObject({ method: 'accounts.getAccountInfo', params: { UID: 'uid-ok', include: 'profile,data,emails,loginIDs' } });
    await c.close?.();
  });

  it('a fake account known only by its stored pbkdf2 hash logs in with the published password', async () => {
    const c = connectFake(fake);
    await expect(c.login!('hashonly@example.com', 'Test@123')).resolves.toMatchObject({ ok: true, profile: { user_id: 'uid-hash-only' } });
    await expect(c.login!('hashonly@example.com', 'Test@124')).resolves.toEqual({ ok: false, reason: 'invalid_credentials' });
    await c.close?.();
  });
});

describe('transient envelope codes', () => {
  it.each([403048, 409030, 500001, 504001])('%d is retried with backoff, then thrown as TransientError', async (code) => {
    const c = connectFake(fake);
    fake.inject({ method: 'accounts.login', errorCode: code, times: 3 });
    const before = fake.calls['accounts.login'] ?? 0;
    const err = await c.login!('ok@example.com', PW).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect((fake.calls['accounts.login'] ?? 0) - before).toBe(3);
    await c.close?.();
  });

  it('one rate-limited answer is retried and the login succeeds', async () => {
    const c = connectFake(fake);
    fake.inject({ method: 'accounts.search', errorCode: 403048, times: 1 });
    await expect(c.getByEmail!('ok@example.com')).resolves.toMatchObject({ user_id: 'uid-ok' });
    await c.close?.();
  });

  it("the fake's per-second rate limit answers 403048 and the connector rides it out", async () => {
    const limited = await startFakeGigya({ rateLimitPerSecond: 5, accounts: [{ email: 'r@example.com', password: PW }] });
    const c = connectFake(limited, testContext(), { retries: { maxAttempts: 8, baseDelayMs: 300, maxDelayMs: 1000 } });
    const results = await Promise.all(Array.from({ length: 12 }, () => c.getByEmail!('r@example.com')));
    expect(results.every((r) => r?.email === 'r@example.com')).toBe(true);
    expect(limited.requests.some((r) => r.errorCode === 403048)).toBe(true);
    await c.close?.();
    await limited.close();
  });

  it('an HTTP 503 from a proxy is transient (core HTTP client)', async () => {
    const c = connectFake(fake);
    fake.inject({ method: 'accounts.search', httpStatus: 503, times: 2 });
    await expect(c.getByEmail!('ok@example.com')).rejects.toMatchObject({ errorClass: 'transient' });
    await c.close?.();
  });
});

describe('credentials and data centers', () => {
  it('the wrong data center is a config error naming the right one (301001)', async () => {
    const c = connectFake(fake, testContext(), { dataCenter: 'eu1.gigya.com' });
    const err = await c.getByEmail!('ok@example.com').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({ code: 'gigya_wrong_data_center' });
    expect((err as ConfigError).hint).toContain('us1.gigya.com');
    expect(fake.requests.at(-1)).toMatchObject({ dataCenter: 'eu1.gigya.com', errorCode: 301001 });
    await c.close?.();
  });

  it('a wrong secret is an auth error; a wrong API key a config error', async () => {
    const wrong = Buffer.from('not-the-secret').toString('base64');
    for (const auth of ['secret', 'signed'] as const) {
      const c = connectFake(fake, testContext(), { secret: wrong, auth });
      await expect(c.login!('ok@example.com', PW)).rejects.toBeInstanceOf(AuthError);
      await c.close?.();
    }
    const k = connectFake(fake, testContext(), { apiKey: '3_nope' });
    await expect(k.getByEmail!('ok@example.com')).rejects.toMatchObject({ errorClass: 'config', code: 'gigya_invalid_api_key' });
    await k.close?.();
  });

  it('signed requests carry timestamp, nonce and sig, never the secret', async () => {
    const c = connectFake(fake, testContext(), { auth: 'signed' });
    await expect(c.getByEmail!('ok@example.com')).resolves.toMatchObject({ user_id: 'uid-ok' });
    const sent = fake.requests.at(-1)!.params;
    expect(sent.secret).toBeUndefined();
    expect(sent).toMatchObject({ apiKey: fake.apiKey, userKey: fake.userKey, timestamp: expect.stringMatching(/^\d+$/), nonce: expect.any(String), sig: expect.any(String) });
    await c.close?.();
  });

  it('the base string follows the SDKs: sorted, RFC 3986-encoded pairs under the normalized URL', () => {
    expect(signatureBaseString('HTTPS://Accounts.US1.gigya.com/accounts.search?x=1', { query: 'SELECT * FROM accounts', b: "a b!*'()~" })).toBe(
      'POST&https%3A%2F%2Faccounts.us1.gigya.com%2Faccounts.search&b%3Da%2520b%2521%252A%2527%2528%2529~%26query%3DSELECT%2520%252A%2520FROM%2520accounts',
    );
  });

  it('a stale timestamp is 403002 → auth error about the clock', async () => {
    const strict = await startFakeGigya({ signatureWindowSeconds: -1, accounts: [{ email: 'r@example.com', password: PW }] });
    const c = connectFake(strict, testContext(), { auth: 'signed' });
    await expect(c.getByEmail!('r@example.com')).rejects.toMatchObject({ errorClass: 'auth', code: 'gigya_request_expired' });
    await c.close?.();
    await strict.close();
  });
});

describe('getByEmail', () => {
  const whereOfLastSearch = () => parseQuery(fake.requests.filter((r) => r.method === 'accounts.search').at(-1)!.params.query!).where;

  it('searches loginIDs.emails with one equality and selects no password', async () => {
    const c = connectFake(fake);
    await expect(c.getByEmail!('OK@Example.com')).resolves.toMatchObject({ user_id: 'uid-ok' });
    const sent = fake.requests.filter((r) => r.method === 'accounts.search').at(-1)!.params.query!;
    expect(parseQuery(sent)).toEqual({ fields: ['UID', 'profile', 'data', 'emails', 'loginIDs', 'isActive', 'isVerified'], where: { kind: 'compare', field: 'loginIDs.emails', op: '=', value: 'ok@example.com' }, limit: 2 });
    await c.close?.();
  });

  it.each([
    ['a double quote', 'o"brien@example.com', 'uid-quote'],
    ['a backslash', 'back\\slash@example.com', 'uid-slash'],
  ])('an email with %s is found exactly', async (_what, email, uid) => {
    const c = connectFake(fake);
    await expect(c.getByEmail!(email)).resolves.toMatchObject({ user_id: uid, email });
    expect(whereOfLastSearch()).toEqual({ kind: 'compare', field: 'loginIDs.emails', op: '=', value: email });
    await c.close?.();
  });

  it.each([
    'x" OR 1=1 OR "a"="a',
    'nobody@example.com" OR loginIDs.emails != "',
    '" OR UID != "',
    'nobody\\" OR UID != \\"',
    'x\\',
    '\\" OR 1=1 --',
    'nobody@example.com" LIMIT 1000 --',
  ])('hostile input %j stays one string literal and matches nobody', async (email) => {
    const c = connectFake(fake);
    await expect(c.getByEmail!(email)).resolves.toBeNull();
    expect(whereOfLastSearch()).toEqual({ kind: 'compare', field: 'loginIDs.emails', op: '=', value: email.toLowerCase() });
    await c.close?.();
  });

  it('the same input pasted unescaped would have widened the match (the fake parses OR for real)', async () => {
    const query = `SELECT UID FROM accounts WHERE loginIDs.emails = "nobody@example.com" OR loginIDs.emails != "" LIMIT 2`;
    const body = new URLSearchParams({ apiKey: fake.apiKey, userKey: fake.userKey, secret: fake.secret, query });
    const res = await fetch(`${fake.url}/accounts.${fake.dataCenter}/accounts.search`, { method: 'POST', body });
    const envelope = (await res.json()) as { errorCode: number; results: unknown[] };
    expect(res.status).toBe(200);
    expect(envelope.errorCode).toBe(0);
    expect(envelope.results).toHaveLength(2);
  });

  it('control characters are refused before any request', async () => {
    const c = connectFake(fake);
    await expect(c.getByEmail!('a\n@example.com')).rejects.toMatchObject({ code: 'gigya_query_value_invalid' });
    await c.close?.();
  });

  it('two accounts with the email among their login IDs are ambiguous_email', async () => {
    const c = connectFake(fake);
    const err = await c.getByEmail!('dup@example.com').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(err).toMatchObject({ code: 'ambiguous_email', errorClass: 'data', details: { count: 2 } });
    await c.close?.();
  });

  it('isActive false is blocked; unverified emails are not email_verified', async () => {
    const c = connectFake(fake);
    await expect(c.getByEmail!('inactive@example.com')).resolves.toMatchObject({ user_id: 'uid-off', blocked: true });
    await expect(c.getByEmail!('unverified@example.com')).resolves.toMatchObject({ user_id: 'uid-unv', email_verified: false });
    expect((await c.getByEmail!('ok@example.com'))?.blocked).toBeUndefined();
    await c.close?.();
  });
});
