/**
 * Unit tests of the export: Link pagination, checkpoints, page shrinking, mapping options.
 */
import nock from 'nock';
import type { ExportPage } from '@ferry/core';
import { nextCursor } from '../src/link-header';
import { nockConnector, ORG, USER_ID, userBody, useNock } from './okta-nock-helpers';

useNock();

const user = (id: string, status = 'ACTIVE') => ({ ...userBody(status), id, profile: { ...(userBody() as { profile: object }).profile, email: `${id}@example.com`, login: `${id}@example.com` } });
const link = (after?: string) => `<${ORG}/api/v1/users?limit=2>; rel="self"${after === undefined ? '' : `, <${ORG}/api/v1/users?after=${after}&limit=2>; rel="next"`}`;

async function pages(connector: Awaited<ReturnType<typeof nockConnector>>['connector'], checkpoint?: string): Promise<ExportPage[]> {
  const out: ExportPage[] = [];
  for await (const page of connector.exportUsers!(checkpoint === undefined ? {} : { checkpoint })) out.push(page);
  return out;
}

describe('okta export', () => {
  it('follows rel="next" only and checkpoints on its after cursor', async () => {
    nock(ORG).get('/api/v1/users').query({ limit: '2' }).reply(200, [user('00u1'), user('00u2')], { link: link('00u2') });
    nock(ORG).get('/api/v1/users').query({ limit: '2', after: '00u2' }).reply(200, [user('00u3')], { link: link() });
    const { connector } = await nockConnector({ export: { pageSize: 2 } });
    const result = await pages(connector);
    expect(result.map((p) => p.checkpoint)).toEqual(['00u2', null]);
    expect(result.flatMap((p) => p.records.map((r) => r.user_id))).toEqual(['00u1', '00u2', '00u3']);
    expect(result[0]?.records[0]).not.toHaveProperty('password_hash');
  });

  it('resumes from a checkpoint, passing filter and search through', async () => {
    nock(ORG).get('/api/v1/users').query({ limit: '2', after: 'abc', search: 'status eq "DEPROVISIONED"' }).reply(200, [user('00u9', 'DEPROVISIONED')], { link: link() });
    const { connector } = await nockConnector({ export: { pageSize: 2, search: 'status eq "DEPROVISIONED"' } });
    const result = await pages(connector, 'abc');
    expect(result[0]?.records[0]).toMatchObject({ user_id: '00u9', blocked: true });
    expect(await pages(connector, null as unknown as string)).toEqual([]);
  });

  it('halves the page after a 500 and keeps the full size for the next page', async () => {
    nock(ORG).get('/api/v1/users').query({ limit: '200' }).reply(500, { errorCode: 'E0000009', errorSummary: 'Internal Server Error' });
    nock(ORG).get('/api/v1/users').query({ limit: '100' }).reply(200, [user('00u1')], { link: link('00u1') });
    nock(ORG).get('/api/v1/users').query({ limit: '200', after: '00u1' }).reply(200, [user('00u2')], { link: link() });
    const { connector } = await nockConnector();
    expect((await pages(connector)).flatMap((p) => p.records.map((r) => r.user_id))).toEqual(['00u1', '00u2']);
    expect(nock.isDone()).toBe(true);
  });

  it('gives up with a transient error when every size fails', async () => {
    nock(ORG).get('/api/v1/users').query(true).times(10).reply(503, {});
    const { connector } = await nockConnector();
    await expect(pages(connector)).rejects.toMatchObject({ errorClass: 'transient', code: 'http_5xx' });
  });

  it('maps username, metadata and email_verified as configured', async () => {
    nock(ORG).get(`/api/v1/users/${USER_ID}`).reply(200, userBody('STAGED'));
    const { connector } = await nockConnector({ usernameFromLogin: true, emailVerified: 'never', userMetadata: ['mobilePhone'], appMetadata: ['costCenter', 'missing'] });
    expect(await connector.getByEmail!(USER_ID)).toMatchObject({
      username: 'isaac.brock@example.com',
      email_verified: false,
      user_metadata: { mobilePhone: '555-415-1337' },
      app_metadata: { costCenter: 'cc-7' },
    });
  });

  it('reads only the next link of a Link header', () => {
    expect(nextCursor(`<${ORG}/api/v1/users?after=x%2By&limit=200>; rel="next", <${ORG}/api/v1/users?limit=200>; rel="self"`)).toBe('x+y');
    expect(nextCursor(`<${ORG}/api/v1/users?limit=200>; rel="self"`)).toBeNull();
    expect(nextCursor(null)).toBeNull();
  });
});
