/**
 * Unit tests of getByEmail: login lookup first, then a filter on profile.email.
 */
import nock from 'nock';
import { nockConnector, ORG, oktaErrorBody, USER_ID, userBody, useNock } from './okta-nock-helpers';

useNock();

const notFound = oktaErrorBody('E0000007', 'Not found: Resource not found: john@example.com (User)');
const byFilter = { filter: 'profile.email eq "john@example.com"', limit: '2' };

describe('okta getByEmail', () => {
  it('reads the user by login (URL-encoded) with the SSWS token', async () => {
    nock(ORG).get('/api/v1/users/isaac.brock%40example.com').matchHeader('authorization', 'SSWS ssws-test-token').reply(200, userBody());
    const { connector } = await nockConnector();
    expect(await connector.getByEmail!('isaac.brock@example.com')).toMatchObject({ user_id: USER_ID });
  });

  it('falls back to a profile.email filter when no login equals the email', async () => {
    nock(ORG).get('/api/v1/users/john%40example.com').reply(404, notFound);
    nock(ORG).get('/api/v1/users').query(byFilter).reply(200, [userBody()]);
    const { connector } = await nockConnector();
    expect(await connector.getByEmail!('john@example.com')).toMatchObject({ user_id: USER_ID });
  });

  it('is null when neither finds the user, and refuses an ambiguous email', async () => {
    nock(ORG).get('/api/v1/users/john%40example.com').times(2).reply(404, notFound);
    nock(ORG).get('/api/v1/users').query(byFilter).reply(200, []);
    nock(ORG).get('/api/v1/users').query(byFilter).reply(200, [userBody(), { ...userBody(), id: '00uOTHER' }]);
    const { connector } = await nockConnector();
    expect(await connector.getByEmail!('john@example.com')).toBeNull();
    await expect(connector.getByEmail!('john@example.com')).rejects.toMatchObject({ code: 'ambiguous_email', errorClass: 'data' });
  });

  it('skips the filter when lookupByEmailFilter is false', async () => {
    nock(ORG).get('/api/v1/users/john%40example.com').reply(404, notFound);
    const { connector } = await nockConnector({ lookupByEmailFilter: false });
    expect(await connector.getByEmail!('john@example.com')).toBeNull();
  });
});
