/**
 * Unit tests of the authn login path: every transaction state and every error body.
 */
import nock from 'nock';
import { authnBody, nockConnector, ORG, oktaErrorBody, USER_ID, userBody, useNock } from './okta-nock-helpers';

useNock();

const PASSWORD = 'correct horse battery staple';

function authnReplies(status: number, body: object) {
  return nock(ORG)
    .post('/api/v1/authn', (b: { username?: string; password?: string; options?: { warnBeforePasswordExpired?: boolean } }) => b.username === 'isaac.brock@example.com' && b.password === PASSWORD && b.options?.warnBeforePasswordExpired === true)
    .reply(status, body);
}

function userReplies(status = 'ACTIVE') {
  return nock(ORG).get(`/api/v1/users/${USER_ID}`).matchHeader('authorization', 'SSWS ssws-test-token').reply(200, userBody(status));
}

describe('okta authn: transaction states', () => {
  it.each([
    ['SUCCESS', undefined],
    ['PASSWORD_WARN', { passwordWarn: true }],
    ['PASSWORD_EXPIRED', { passwordExpired: true }],
    ['MFA_REQUIRED', { mfaRequired: true }],
    ['MFA_CHALLENGE', { mfaRequired: true }],
    ['MFA_ENROLL', { mfaEnroll: true }],
    ['MFA_ENROLL_ACTIVATE', { mfaEnroll: true }],
  ])('%s: the password was right', async (state, flags) => {
    authnReplies(200, authnBody(state));
    userReplies();
    const { connector } = await nockConnector();
    const outcome = await connector.login!('isaac.brock@example.com', PASSWORD);
    expect(outcome).toEqual({
      ok: true,
      profile: {
        user_id: USER_ID,
        email: 'isaac.brock@example.com',
        email_verified: true,
        given_name: 'Isaac',
        family_name: 'Brock',
        name: 'Isaac Brock',
        nickname: 'issac',
        blocked: false,
      },
      ...(flags === undefined ? {} : { flags }),
    });
    expect(nock.isDone()).toBe(true);
    await connector.close!();
  });

  it('LOCKED_OUT is locked', async () => {
    authnReplies(200, { status: 'LOCKED_OUT', _links: {} });
    const { connector } = await nockConnector();
    expect(await connector.login!('isaac.brock@example.com', PASSWORD)).toMatchObject({ ok: false, reason: 'locked' });
  });

  it('UNAUTHENTICATED is invalid_credentials', async () => {
    authnReplies(200, { status: 'UNAUTHENTICATED' });
    const { connector } = await nockConnector();
    expect(await connector.login!('isaac.brock@example.com', PASSWORD)).toMatchObject({ ok: false, reason: 'invalid_credentials' });
  });

  it.each(['RECOVERY', 'RECOVERY_CHALLENGE', 'PASSWORD_RESET'])('%s (a recovery flow) is a data error, never a wrong password', async (state) => {
    authnReplies(200, authnBody(state));
    const { connector } = await nockConnector();
    await expect(connector.login!('isaac.brock@example.com', PASSWORD)).rejects.toMatchObject({ code: 'okta_unexpected_state', errorClass: 'data' });
  });

  it('a password-checked user deleted before the lookup is not_found', async () => {
    authnReplies(200, authnBody('SUCCESS'));
    nock(ORG).get(`/api/v1/users/${USER_ID}`).reply(404, oktaErrorBody('E0000007', `Not found: Resource not found: ${USER_ID} (User)`));
    const { connector } = await nockConnector();
    expect(await connector.login!('isaac.brock@example.com', PASSWORD)).toEqual({ ok: false, reason: 'not_found' });
  });
});

describe('okta authn: error bodies', () => {
  it('401 E0000004 is invalid_credentials', async () => {
    authnReplies(401, oktaErrorBody('E0000004', 'Authentication failed'));
    const { connector } = await nockConnector();
    expect(await connector.login!('isaac.brock@example.com', PASSWORD)).toEqual({ ok: false, reason: 'invalid_credentials' });
  });

  it('401 E0000064 (expired) is a right password with passwordExpired, user read by login', async () => {
    authnReplies(401, oktaErrorBody('E0000064', 'Password is expired and must be changed.'));
    nock(ORG).get('/api/v1/users/isaac.brock%40example.com').reply(200, userBody('PASSWORD_EXPIRED'));
    const { connector } = await nockConnector();
    expect(await connector.login!('isaac.brock@example.com', PASSWORD)).toMatchObject({ ok: true, flags: { passwordExpired: true }, profile: { user_id: USER_ID, blocked: false, email_verified: true } });
  });

  it('403 E0000119 is locked', async () => {
    authnReplies(403, oktaErrorBody('E0000119', 'Your account is locked. Please contact your administrator.'));
    const { connector } = await nockConnector();
    expect(await connector.login!('isaac.brock@example.com', PASSWORD)).toMatchObject({ ok: false, reason: 'locked' });
  });

  it('400 E0000001 (validation) is invalid_credentials', async () => {
    nock(ORG).post('/api/v1/authn').reply(400, { ...oktaErrorBody('E0000001', 'Api validation failed: username'), errorCauses: [{ errorSummary: 'username: The field cannot be left blank' }] });
    const { connector } = await nockConnector();
    expect(await connector.login!(' ', PASSWORD)).toMatchObject({ ok: false, reason: 'invalid_credentials' });
  });

  it('400 E0000003 (malformed body) is a data error', async () => {
    authnReplies(400, oktaErrorBody('E0000003', 'The request body was not well-formed.'));
    const { connector } = await nockConnector();
    await expect(connector.login!('isaac.brock@example.com', PASSWORD)).rejects.toMatchObject({ errorClass: 'data', code: 'okta_unexpected_response' });
  });

  it('403 E0000006 on the Users API is an auth error about the token', async () => {
    authnReplies(200, authnBody('SUCCESS'));
    nock(ORG).get(`/api/v1/users/${USER_ID}`).reply(403, oktaErrorBody('E0000006', 'You do not have permission to perform the requested action'));
    const { connector } = await nockConnector();
    await expect(connector.login!('isaac.brock@example.com', PASSWORD)).rejects.toMatchObject({ errorClass: 'auth', code: 'okta_permission_denied' });
  });

  it('401 E0000011 on the Users API is an auth error', async () => {
    nock(ORG).get('/api/v1/users/isaac.brock%40example.com').reply(401, oktaErrorBody('E0000011', 'Invalid token provided'));
    const { connector } = await nockConnector();
    await expect(connector.getByEmail!('isaac.brock@example.com')).rejects.toMatchObject({ errorClass: 'auth', code: 'okta_credentials_invalid' });
  });

  it('429 E0000047 is waited out using X-Rate-Limit-Reset, then succeeds', async () => {
    const reset = String(Math.floor(Date.now() / 1000) + 1);
    nock(ORG)
      .post('/api/v1/authn')
      .reply(429, oktaErrorBody('E0000047', 'API call exceeded rate limit due to too many requests.'), { 'X-Rate-Limit-Limit': '600', 'X-Rate-Limit-Remaining': '0', 'X-Rate-Limit-Reset': reset });
    authnReplies(200, authnBody('SUCCESS'));
    userReplies();
    const { connector } = await nockConnector();
    expect(await connector.login!('isaac.brock@example.com', PASSWORD)).toMatchObject({ ok: true });
  });

  it('persistent 429s and 5xx are transient, never a wrong password', async () => {
    nock(ORG).post('/api/v1/authn').times(10).reply(429, oktaErrorBody('E0000047', 'API call exceeded rate limit due to too many requests.'), { 'Retry-After': '0' });
    const { connector } = await nockConnector();
    await expect(connector.login!('isaac.brock@example.com', PASSWORD)).rejects.toMatchObject({ errorClass: 'transient', code: 'http_rate_limited' });
    nock.cleanAll();
    nock(ORG).post('/api/v1/authn').reply(500, oktaErrorBody('E0000009', 'Internal Server Error'));
    await expect(connector.login!('isaac.brock@example.com', PASSWORD)).rejects.toMatchObject({ errorClass: 'transient', code: 'http_5xx' });
  });

  it('a 302 to a login page is a config error', async () => {
    nock(ORG).post('/api/v1/authn').reply(302, '', { location: 'https://login.acme.com/' });
    const { connector } = await nockConnector();
    await expect(connector.login!('isaac.brock@example.com', PASSWORD)).rejects.toMatchObject({ errorClass: 'config', code: 'okta_redirected' });
  });
});
