/**
 * No password (nor the API token or client secret) may reach a log line, an error
 * message, its JSON, hint, details or cause — on 2xx, 4xx, 5xx, 429 and network failures.
 */
import { FerryError } from '@ferry/core';
import nock from 'nock';
import { authnBody, nockConnector, ORG, oktaErrorBody, USER_ID, userBody, useNock } from './okta-nock-helpers';

useNock();

const PASSWORD = 'Pa55-never-log-me';
const SECRET = 'client-secret-never-log';
const TOKEN = 'ssws-test-token';

function everythingAbout(err: unknown): string {
  if (!(err instanceof Error)) return JSON.stringify(err);
  const parts = [err.message, err.stack ?? '', String(err.cause ?? '')];
  if (err instanceof FerryError) parts.push(JSON.stringify(err.toJSON()), JSON.stringify(err.details ?? {}), err.hint ?? '');
  if (err.cause instanceof Error) parts.push(err.cause.message, err.cause.stack ?? '');
  return parts.join('\n');
}

const scenarios: [string, () => void][] = [
  ['200 SUCCESS', () => {
    nock(ORG).post('/api/v1/authn').reply(200, authnBody('SUCCESS'));
    nock(ORG).get(`/api/v1/users/${USER_ID}`).reply(200, userBody());
  }],
  ['401 E0000004', () => nock(ORG).post('/api/v1/authn').reply(401, oktaErrorBody('E0000004', 'Authentication failed'))],
  ['400 echoing the request', () => nock(ORG).post('/api/v1/authn').reply(400, (_uri, body) => ({ ...oktaErrorBody('E0000003', `bad body ${JSON.stringify(body)}`) }))],
  ['500', () => nock(ORG).post('/api/v1/authn').reply(500, (_uri, body) => ({ echo: body }))],
  ['429', () => nock(ORG).post('/api/v1/authn').times(5).reply(429, oktaErrorBody('E0000047', 'API call exceeded rate limit due to too many requests.'), { 'Retry-After': '0' })],
  ['network error', () => nock(ORG).post('/api/v1/authn').times(5).replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })],
  ['token 400', () => nock(ORG).post('/oauth2/v1/token').reply(400, { error: 'invalid_request', error_description: 'bad request' })],
  ['token 500', () => nock(ORG).post('/oauth2/v1/token').reply(500, 'oops')],
];

describe('okta: secrets never leak', () => {
  it.each(scenarios)('%s', async (name, arrange) => {
    arrange();
    const grant = name.startsWith('token') ? { loginFlow: 'password_grant', passwordGrant: { clientId: 'c', clientSecret: SECRET } } : {};
    const { connector, lines } = await nockConnector(grant);
    const seen: string[] = [];
    try {
      seen.push(JSON.stringify(await connector.login!('isaac.brock@example.com', PASSWORD)));
    } catch (err) {
      seen.push(everythingAbout(err));
    }
    await connector.close!();
    const all = [...seen, ...lines].join('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const secret of [PASSWORD, SECRET, TOKEN]) expect(all).not.toContain(secret);
  });
});
