/**
 * Unit tests of the resource-owner password grant login path.
 */
import nock from 'nock';
import { nockConnector, ORG, USER_ID, userBody, useNock } from './okta-nock-helpers';

useNock();

const grant = { loginFlow: 'password_grant', passwordGrant: { clientId: '0oa1client', clientSecret: 'client-secret-value', authorizationServerId: 'default' } };
const basic = `Basic ${Buffer.from('0oa1client:client-secret-value').toString('base64')}`;
const idToken = (sub: string) => `e30.${Buffer.from(JSON.stringify({ sub })).toString('base64url')}.c2ln`;

function tokenReplies(status: number, body: object) {
  return nock(ORG)
    .post('/oauth2/default/v1/token', (b: Record<string, string>) => b.grant_type === 'password' && b.username === 'isaac.brock@example.com' && b.password === 'pw' && b.scope === 'openid')
    .matchHeader('authorization', basic)
    .reply(status, body);
}

describe('okta password grant', () => {
  it('200: reads the user named by the ID token', async () => {
    tokenReplies(200, { token_type: 'Bearer', expires_in: 3600, access_token: 'at', scope: 'openid', id_token: idToken(USER_ID) });
    nock(ORG).get(`/api/v1/users/${USER_ID}`).reply(200, userBody());
    const { connector } = await nockConnector(grant);
    expect(await connector.login!('isaac.brock@example.com', 'pw')).toMatchObject({ ok: true, profile: { user_id: USER_ID } });
  });

  it('uses the org authorization server when no id is configured', async () => {
    nock(ORG).post('/oauth2/v1/token').reply(400, { error: 'invalid_grant', error_description: 'The credentials provided were invalid.' });
    const { connector } = await nockConnector({ ...grant, passwordGrant: { clientId: '0oa1client', clientSecret: 'client-secret-value' } });
    expect(await connector.login!('isaac.brock@example.com', 'pw')).toEqual({ ok: false, reason: 'invalid_credentials' });
  });

  it('400 invalid_grant "Password has expired." is a right password with passwordExpired', async () => {
    tokenReplies(400, { error: 'invalid_grant', error_description: 'Password has expired.' });
    nock(ORG).get('/api/v1/users/isaac.brock%40example.com').reply(200, userBody('PASSWORD_EXPIRED'));
    const { connector } = await nockConnector(grant);
    expect(await connector.login!('isaac.brock@example.com', 'pw')).toMatchObject({ ok: true, flags: { passwordExpired: true } });
  });

  it('403 mfa_required is a right password with mfaRequired', async () => {
    tokenReplies(403, { error: 'mfa_required', error_description: 'MFA is required for this transaction.', mfa_token: 'mt' });
    nock(ORG).get('/api/v1/users/isaac.brock%40example.com').reply(200, userBody());
    const { connector } = await nockConnector(grant);
    expect(await connector.login!('isaac.brock@example.com', 'pw')).toMatchObject({ ok: true, flags: { mfaRequired: true } });
  });

  it('400 invalid_grant about MFA policy is a config error (the password was not checked)', async () => {
    tokenReplies(400, { error: 'invalid_grant', error_description: 'The resource owner password credentials grant type cannot be used with MFA enabled.' });
    const { connector } = await nockConnector(grant);
    await expect(connector.login!('isaac.brock@example.com', 'pw')).rejects.toMatchObject({ errorClass: 'config', code: 'okta_password_grant_mfa' });
  });

  it('401 invalid_client is an auth error; 400 unauthorized_client a config error', async () => {
    tokenReplies(401, { error: 'invalid_client', error_description: 'Client authentication failed.' });
    const { connector } = await nockConnector(grant);
    await expect(connector.login!('isaac.brock@example.com', 'pw')).rejects.toMatchObject({ errorClass: 'auth' });
    tokenReplies(400, { error: 'unauthorized_client', error_description: 'The client is not authorized to use the provided grant type.' });
    await expect(connector.login!('isaac.brock@example.com', 'pw')).rejects.toMatchObject({ errorClass: 'config' });
  });

  it('config: password_grant without passwordGrant is refused with the key named', async () => {
    await expect(nockConnector({ loginFlow: 'password_grant' })).rejects.toMatchObject({ code: 'config_invalid', message: expect.stringContaining('passwordGrant') as unknown });
  });
});
