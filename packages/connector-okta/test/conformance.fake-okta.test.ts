/**
 * End to end against the fake Okta org: the conformance kit, then Okta-specific flows
 * (lockout, password grant, export with failing big pages, failure injection).
 */
import { runConnectorConformance } from '@ferry/core/testing';
import { type FakeOkta, startFakeOkta } from '@ferry/testkit';
import { definition } from '../src';
import { oktaConfig, testContext } from './okta-test-context';

const USERS = Array.from({ length: 45 }, (_, i) => ({
  login: `user${i}@example.com`,
  password: `Secret-${i}!`,
  firstName: `First${i}`,
  lastName: `Last${i}`,
  profile: { department: i % 2 === 0 ? 'sales' : 'ops', costCenter: `cc${i}` },
}));

let okta: FakeOkta;

beforeAll(async () => {
  okta = await startFakeOkta({
    users: [
      ...USERS,
      { login: 'gone@example.com', password: 'Gone-1!', status: 'DEPROVISIONED' },
      { login: 'mfa@example.com', password: 'Mfa-1!', mfa: true },
      { login: 'expired@example.com', password: 'Expired-1!', status: 'PASSWORD_EXPIRED' },
      { login: 'locked@example.com', password: 'Locked-1!' },
      { login: 'jdoe', email: 'john.doe@example.com', password: 'Jdoe-1!' },
    ],
    lockoutAfter: 3,
  });
});
afterAll(() => okta.close());

const base = () => ({ orgUrl: okta.url, apiToken: okta.apiToken, export: { pageSize: 10 }, userMetadata: ['department'] });
const connect = async (overrides: Record<string, unknown> = {}) => definition.create(oktaConfig({ ...base(), ...overrides }), testContext().context);

runConnectorConformance('okta (fake Okta)', {
  connector: () => connect(),
  failingConnector: () => connect({ orgUrl: 'http://127.0.0.1:9', timeoutMs: 500 }),
  user: { identifier: 'user1@example.com', email: 'user1@example.com', password: 'Secret-1!' },
  otherUser: { identifier: 'user2@example.com', email: 'user2@example.com', password: 'Secret-2!' },
  unknownIdentifier: 'nobody@example.com',
  // Active users plus mfa, expired, locked and jdoe; DEPROVISIONED is left out by default.
  expectedExportCount: 49,
});

describe('okta against the fake org', () => {
  it('maps the profile, custom attributes and status', async () => {
    const c = await connect();
    const outcome = await c.login!('USER3@example.com', 'Secret-3!');
    expect(outcome).toEqual({
      ok: true,
      profile: expect.objectContaining({
        email: 'user3@example.com',
        email_verified: true,
        given_name: 'First3',
        family_name: 'Last3',
        name: 'First3 Last3',
        blocked: false,
        user_metadata: { department: 'ops' },
      }) as unknown,
    });
    expect(await c.getByEmail!('gone@example.com')).toEqual(expect.objectContaining({ blocked: true }));
    await c.close!();
  });

  it('reports MFA and expired passwords as right passwords with flags', async () => {
    const c = await connect();
    expect(await c.login!('mfa@example.com', 'Mfa-1!')).toEqual(expect.objectContaining({ ok: true, flags: { mfaRequired: true } }));
    expect(await c.login!('expired@example.com', 'Expired-1!')).toEqual(expect.objectContaining({ ok: true, flags: { passwordExpired: true } }));
    await c.close!();
  });

  it('locks out after N failures: hidden as invalid_credentials by default', async () => {
    const c = await connect();
    for (let i = 0; i < 3; i++) expect(await c.login!('locked@example.com', 'nope')).toMatchObject({ ok: false, reason: 'invalid_credentials' });
    expect(await c.login!('locked@example.com', 'Locked-1!')).toMatchObject({ ok: false, reason: 'invalid_credentials' });
    expect(await c.getByEmail!('locked@example.com')).toEqual(expect.objectContaining({ blocked: true }));
    await c.close!();
  });

  it('shows lockout as locked when the org policy shows it', async () => {
    const shown = await startFakeOkta({ users: [{ login: 'a@example.com', password: 'A-1!' }], lockoutAfter: 2, showLockout: true });
    const c = await definition.create(oktaConfig({ orgUrl: shown.url, apiToken: shown.apiToken }), testContext().context);
    await c.login!('a@example.com', 'x');
    await c.login!('a@example.com', 'x');
    expect(await c.login!('a@example.com', 'A-1!')).toMatchObject({ ok: false, reason: 'locked' });
    await c.close!();
    await shown.close();
  });

  it('checks passwords with the password grant (org and custom authorization servers)', async () => {
    for (const authorizationServerId of [undefined, 'default']) {
      const passwordGrant = { clientId: 'fake-client', clientSecret: 'fake-secret', ...(authorizationServerId ? { authorizationServerId } : {}) };
      const c = await connect({ loginFlow: 'password_grant', passwordGrant });
      const ok = await c.login!('user4@example.com', 'Secret-4!');
      expect(ok).toMatchObject({ ok: true, profile: { email: 'user4@example.com' } });
      expect(await c.login!('user4@example.com', 'wrong')).toMatchObject({ ok: false, reason: 'invalid_credentials' });
      expect(await c.login!('mfa@example.com', 'Mfa-1!')).toMatchObject({ ok: true, flags: { mfaRequired: true } });
      await c.close!();
    }
  });

  it('retries a 500 on a big list page with smaller pages', async () => {
    okta.setFailures([{ path: '/api/v1/users', limitAbove: 5, fail: 500 }]);
    try {
      const c = await connect();
      const ids: string[] = [];
      for await (const page of c.exportUsers!({})) ids.push(...page.records.map((r) => r.user_id));
      expect(ids).toHaveLength(49);
      expect(new Set(ids).size).toBe(49);
      await c.close!();
    } finally {
      okta.setFailures([]);
    }
  });

  it('exports DEPROVISIONED users through search, and none carry a password hash', async () => {
    const c = await connect({ export: { pageSize: 200, search: 'status eq "DEPROVISIONED"' } });
    const records = [];
    for await (const page of c.exportUsers!({})) records.push(...page.records);
    expect(records.map((r) => r.email)).toEqual(['gone@example.com']);
    expect(records[0]).not.toHaveProperty('password_hash');
    await c.close!();
  });

  it('treats dropped connections and 503s as transient', async () => {
    const c = await connect();
    okta.setFailures([{ path: '/api/v1/users', fail: 'drop' }]);
    await expect(c.getByEmail!('user1@example.com')).rejects.toMatchObject({ errorClass: 'transient' });
    okta.setFailures([{ path: '/api/v1/authn', fail: 503 }]);
    await expect(c.login!('user1@example.com', 'Secret-1!')).rejects.toMatchObject({ errorClass: 'transient', code: 'http_5xx' });
    okta.setFailures([]);
    await c.close!();
  });

  it('finds a user whose login is not an email by profile.email, with the same id as login', async () => {
    const c = await connect();
    const login = await c.login!('jdoe', 'Jdoe-1!');
    const found = await c.getByEmail!('John.Doe@example.com');
    expect(login.ok && found?.user_id === login.profile.user_id).toBe(true);
    await c.close!();
  });

  it('reports a wrong API token as an auth error', async () => {
    const c = await connect({ apiToken: 'wrong' });
    await expect(c.getByEmail!('user1@example.com')).rejects.toMatchObject({ errorClass: 'auth', code: 'okta_credentials_invalid' });
    await c.close!();
  });
});
