/** Login error codes, lookups, mapping and failures against the fake Stormpath API. */
import { AuthError, DataError, type FerryError, TransientError } from '@ferry/core';
import { type FakeStormpath, startFakeStormpath } from '@ferry/testkit';
import { connectFake, testContext } from './stormpath-fixture';

let fake: FakeStormpath;
const PW = 'Correct-horse-9';

beforeAll(async () => {
  fake = await startFakeStormpath({
    accounts: [
      { id: 'ok1', email: 'ok@example.com', password: PW, givenName: 'Ok', middleName: 'M', surname: 'User', customData: { plan: 'pro', tier: 3, theme: 'dark' }, groups: ['users', 'admins'] },
      { id: 'dis1', email: 'disabled@example.com', password: PW, status: 'DISABLED' },
      { id: 'unv1', email: 'unverified@example.com', password: PW, status: 'UNVERIFIED', emailVerificationStatus: 'UNVERIFIED' },
      { id: 'lock1', email: 'locked@example.com', password: PW, loginBlock: 'locked' },
      { id: 'grp1', email: 'group@example.com', password: PW, loginBlock: 'group_disabled' },
      { id: 'dir1x', email: 'directory@example.com', password: PW, loginBlock: 'directory_disabled' },
      { id: 'org1', email: 'org@example.com', password: PW, loginBlock: 'organization_disabled' },
      { id: 'ann', email: 'ann@example.com', password: PW },
      { id: 'joann', email: 'joann@example.com', password: PW },
      { id: 'dupA', email: 'dup@example.com', password: PW, directoryId: 'dirA' },
      { id: 'dupB', email: 'DUP@example.com', password: PW, directoryId: 'dirB' },
    ],
  });
});
afterAll(() => fake.close());

describe('login error codes', () => {
  it.each([
    ['ok@example.com', 'wrong-password', 7100, 'invalid_credentials'],
    ['disabled@example.com', PW, 7101, 'disabled'],
    ['unverified@example.com', PW, 7102, 'unverified'],
    ['locked@example.com', PW, 7103, 'locked'],
    ['nobody@example.com', PW, 7104, 'not_found'],
    ['group@example.com', PW, 7105, 'disabled'],
    ['directory@example.com', PW, 7106, 'disabled'],
    ['org@example.com', PW, 7107, 'disabled'],
  ])('%s, password %s → Stormpath %d → %s', async (identifier, password, _code, reason) => {
    const c = connectFake(fake, testContext());
    await expect(c.login!(identifier, password)).resolves.toEqual({ ok: false, reason });
    await c.close?.();
  });

  it('sends the documented loginAttempts body and maps the expanded account', async () => {
    const c = connectFake(fake, testContext(), { appMetadataKeys: ['plan', 'tier'] });
    const outcome = await c.login!('OK@example.com', PW);
    expect(outcome).toEqual({
      ok: true,
      profile: {
        user_id: 'ok1',
        email: 'ok@example.com',
        email_verified: true,
        given_name: 'Ok',
        family_name: 'User',
        name: 'Ok M User',
        app_metadata: { plan: 'pro', tier: 3, groups: ['admins', 'users'] },
        user_metadata: { theme: 'dark' },
      },
    });
    const account = fake.requests.filter((r) => r.path === '/v1/accounts/ok1').pop();
    expect(account?.query.expand).toBe('customData,groups');
    await c.close?.();
  });

  it('a 429 and a 5xx on loginAttempts are transient, never a wrong password', async () => {
    const c = connectFake(fake, testContext());
    fake.inject({ kind: 429, times: 2, path: /loginAttempts/, retryAfterSeconds: 0 });
    await expect(c.login!('ok@example.com', PW)).rejects.toBeInstanceOf(TransientError);
    fake.inject({ kind: 503, times: 1, path: /loginAttempts/ });
    await expect(c.login!('ok@example.com', PW)).rejects.toMatchObject({ errorClass: 'transient' });
    await c.close?.();
  });

  it('a bad API key is an auth error naming no secret', async () => {
    const c = connectFake(fake, testContext(), { apiKeySecret: 'not-the-secret' });
    const err = (await c.login!('ok@example.com', PW).catch((e: unknown) => e)) as FerryError;
    expect(err).toBeInstanceOf(AuthError);
    expect(err.code).toBe('stormpath_auth_failed');
    expect(JSON.stringify(err.toJSON())).not.toContain('not-the-secret');
    await c.close?.();
  });

  it('an unknown application is a config error', async () => {
    const c = connectFake(fake, testContext(), { applicationId: 'noSuchApp' });
    await expect(c.getByEmail!('ok@example.com')).rejects.toMatchObject({ errorClass: 'config', code: 'stormpath_application_not_found' });
    await c.close?.();
  });
});

describe('getByEmail', () => {
  it('uses an exact attribute search, not q', async () => {
    const c = connectFake(fake, testContext());
    const found = await c.getByEmail!('ann@example.com');
    expect(found?.user_id).toBe('ann');
    const search = fake.requests.filter((r) => r.path.endsWith('/accounts') && r.query.email === 'ann@example.com').pop();
    expect(search?.query.q).toBeUndefined();
    await c.close?.();
  });

  it('a q search would be ambiguous; the connector still picks the exact email', async () => {
    // The fake's q is a contains-match, like Stormpath's: it returns ann and joann.
    const res = await fetch(`${fake.url}/applications/${fake.applicationId}/accounts?q=ann@example.com`, {
      headers: { authorization: `Basic ${Buffer.from(`${fake.apiKeyId}:${fake.apiKeySecret}`).toString('base64')}` },
    });
    const body = (await res.json()) as { items: Array<{ email: string }> };
    expect(body.items.map((i) => i.email).sort()).toEqual(['ann@example.com', 'joann@example.com']);
    const c = connectFake(fake, testContext());
    expect((await c.getByEmail!('ANN@example.com'))?.user_id).toBe('ann');
    await c.close?.();
  });

  it('a wildcard in the input cannot widen the match', async () => {
    const c = connectFake(fake, testContext());
    expect(await c.getByEmail!('*ann@example.com')).toBeNull();
    await c.close?.();
  });

  it('two accounts with the same email in different directories are ambiguous_email', async () => {
    const c = connectFake(fake, testContext());
    const err = await c.getByEmail!('dup@example.com').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(err).toMatchObject({ code: 'ambiguous_email', errorClass: 'data' });
    await c.close?.();
  });

  it('DISABLED accounts are blocked; UNVERIFIED ones are not email_verified', async () => {
    const c = connectFake(fake, testContext());
    expect(await c.getByEmail!('disabled@example.com')).toMatchObject({ user_id: 'dis1', blocked: true });
    expect(await c.getByEmail!('unverified@example.com')).toMatchObject({ user_id: 'unv1', email_verified: false });
    expect((await c.getByEmail!('ok@example.com'))?.blocked).toBeUndefined();
    await c.close?.();
  });

  it('a 500 on the accounts search is transient', async () => {
    const c = connectFake(fake, testContext());
    fake.inject({ kind: 500, times: 2, path: /\/accounts$/ });
    await expect(c.getByEmail!('ok@example.com')).rejects.toMatchObject({ errorClass: 'transient' });
    await c.close?.();
  });
});

describe('the fake', () => {
  it('answers 415 to a loginAttempt without a JSON content type, with the documented error body', async () => {
    const res = await fetch(`${fake.url}/applications/${fake.applicationId}/loginAttempts`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Basic ${Buffer.from(`${fake.apiKeyId}:${fake.apiKeySecret}`).toString('base64')}` },
      body: '{}',
    });
    expect(res.status).toBe(415);
    expect(Object.keys((await res.json()) as object)).toEqual(expect.arrayContaining(['status', 'code', 'message', 'developerMessage', 'moreInfo']));
  });
});
