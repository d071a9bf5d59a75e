/**
 * Each adapter with the request its system sends: Keycloak's user-migration plugin,
 * Ory Kratos' password-migration hook, Okta's password import inline hook; and the
 * pure-proxy backend that never touches the store.
 */
import { existsSync } from 'node:fs';
import { API_KEY, legacyUser, startLive, type LiveServe } from './serve-harness';

const basic = `Basic ${Buffer.from(`keycloak:${API_KEY}`).toString('base64')}`;

describe('adapters (engine backend, import mode)', () => {
  let live: LiveServe;
  beforeAll(async () => {
    live = await startLive();
    for (let n = 1; n <= 6; n++) live.legacy.add(legacyUser(n, n === 3 ? { app_metadata: { roles: ['admin'] } } : {}));
    live.legacy.add({ ...legacyUser(7), status: 'disabled' });
  });
  afterAll(() => live.stop());

  describe('Keycloak user-migration REST contract', () => {
    it('GET {base}/{email} answers the LegacyUser JSON', async () => {
      const r = await live.call('GET', '/v1/adapters/keycloak/users/user3%40example.com', undefined, `Bearer ${API_KEY}`);
      expect(r.status).toBe(200);
      expect(r.body).toEqual({
        id: 'legacy-3',
        username: 'user3',
        email: 'user3@example.com',
        firstName: 'Given3',
        lastName: 'Family3',
        enabled: true,
        emailVerified: true,
        attributes: { plan: ['gold'] },
        roles: ['admin'],
        groups: [],
        requiredActions: [],
        totps: [],
      });
    });

    it('GET by username finds a user already in the store; unknown answers 404', async () => {
      await live.call('GET', '/v1/adapters/keycloak/users/user4%40example.com', undefined, basic);
      const byName = await live.call('GET', '/v1/adapters/keycloak/users/user4', undefined, basic);
      expect(byName.status).toBe(200);
      expect(byName.body.email).toBe('user4@example.com');
      expect((await live.call('GET', '/v1/adapters/keycloak/users/nobody%40example.com', undefined, basic)).status).toBe(404);
      expect((await live.call('GET', '/v1/adapters/keycloak/users/not%20an%20email%40', undefined, basic)).status).toBe(404);
    });

    it('POST {base}/{usernameOrEmail} {"password"}: 200 valid, 401 invalid', async () => {
      const ok = await live.call('POST', '/v1/adapters/keycloak/users/user3%40example.com', { password: 'secret-3-pw' }, basic);
      expect(ok.status).toBe(200);
      const bad = await live.call('POST', '/v1/adapters/keycloak/users/user3%40example.com', { password: 'nope' }, basic);
      expect(bad.status).toBe(401);
      const byName = await live.call('POST', '/v1/adapters/keycloak/users/user3', { password: 'secret-3-pw' }, basic);
      expect(byName.status).toBe(200);
    });

    it('refuses the plugin without the key', async () => {
      expect((await live.call('GET', '/v1/adapters/keycloak/users/user3%40example.com', undefined, 'Bearer wrong-key')).status).toBe(401);
    });
  });

  describe('Ory Kratos password-migration hook', () => {
    it('200 {"status":"password_match"} for the right password; Kratos then stores its own hash', async () => {
      const r = await live.call('POST', '/v1/adapters/kratos/password-migration', { identifier: 'user5@example.com', password: 'secret-5-pw' }, `Bearer ${API_KEY}`);
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ status: 'password_match' });
    });

    it('403 for a wrong password, an unknown identifier and a disabled account', async () => {
      for (const body of [
        { identifier: 'user5@example.com', password: 'wrong' },
        { identifier: 'ghost@example.com', password: 'wrong' },
        { identifier: 'user7@example.com', password: 'secret-7-pw' },
      ]) {
        expect((await live.call('POST', '/v1/adapters/kratos/password-migration', body, `Bearer ${API_KEY}`)).status).toBe(403);
      }
    });

    it('a legacy outage is an upstream error (503), not a 403', async () => {
      live.legacy.down = true;
      try {
        const r = await live.call('POST', '/v1/adapters/kratos/password-migration', { identifier: 'user6@example.com', password: 'secret-6-pw' }, `Bearer ${API_KEY}`);
        expect(r.status).toBe(503);
      } finally {
        live.legacy.down = false;
      }
    });
  });

  describe('Okta password import inline hook', () => {
    const hook = (username: string, password: string) => ({
      eventTypeVersion: '1.0',
      cloudEventVersion: '0.1',
      source: 'https://example.okta.com/api/v1/inlineHooks/cal3ughy17pylLxQB357',
      eventType: 'com.okta.user.credential.password.import',
      contentType: 'application/json',
      data: {
        context: { request: { id: 'reqv66CbCaCStGEFc8AdfS0ng', method: 'POST', url: { value: '/api/v1/authn' } }, credential: { username, password } },
        action: { credential: 'UNVERIFIED' },
      },
    });
    // Okta sends the configured secret as the raw Authorization header value.
    it('VERIFIED for the right password', async () => {
      const r = await live.call('POST', '/v1/adapters/okta/password-import', hook('user6@example.com', 'secret-6-pw'), API_KEY);
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ commands: [{ type: 'com.okta.action.update', value: { credential: 'VERIFIED' } }] });
    });

    it('UNVERIFIED for a wrong password or an unknown user', async () => {
      for (const [u, p] of [['user6@example.com', 'wrong'], ['ghost@example.com', 'x']] as const) {
        const r = await live.call('POST', '/v1/adapters/okta/password-import', hook(u, p), API_KEY);
        expect(r.body).toEqual({ commands: [{ type: 'com.okta.action.update', value: { credential: 'UNVERIFIED' } }] });
      }
    });

    it('refuses other event types', async () => {
      const r = await live.call('POST', '/v1/adapters/okta/password-import', { ...hook('a@b.c', 'x'), eventType: 'com.okta.oauth2.tokens.transform' }, API_KEY);
      expect(r.status).toBe(400);
    });
  });
});

describe('pure proxy (serve.backend: connector)', () => {
  it('answers from the connector only and never writes the store', async () => {
    const live = await startLive({ serve: { backend: 'connector' } });
    try {
      live.legacy.add(legacyUser(1));
      const ok = await live.call('POST', '/v1/adapters/kratos/password-migration', { identifier: 'user1@example.com', password: 'secret-1-pw' }, `Bearer ${API_KEY}`);
      expect(ok.body).toEqual({ status: 'password_match' });
      const login = await live.call('POST', '/v1/login', { identifier: 'user1@example.com', password: 'secret-1-pw' });
      expect(login.body).toEqual({ user: expect.objectContaining({ user_id: 'legacy-1' }), source: 'legacy', migrated: false });
      expect((await live.call('GET', '/v1/users/user1%40example.com')).body.source).toBe('legacy');
      const create = await live.call('POST', '/v1/users', { email: 'x@example.com', password: 'pw-pw-pw-pw' });
      expect(create.status).toBe(501);
      expect(create.body.error.code).toBe('not_supported_by_backend');
      expect(await live.h.runtime.store.findByEmail('default', 'user1@example.com')).toBeNull();
      const ready = await live.call('GET', '/readyz', undefined, null);
      expect(ready.body.store).toEqual({ ok: null, detail: 'not used (serve.backend: connector)' });
      expect(existsSync(live.h.dbPath)).toBe(true);
    } finally {
      await live.stop();
    }
  });
});
