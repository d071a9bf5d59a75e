/**
 * nock fixtures in Okta's documented shapes, for the unit tests.
 */
import type { Connector } from '@ferry/core';
import nock from 'nock';
import { definition } from '../src';
import { oktaConfig, testContext } from './okta-test-context';

/** The org URL every nock test talks to. */
export const ORG = 'https://acme.okta.com';
/** The SSWS token the unit tests configure. */
export const TOKEN = 'ssws-test-token';
/** The user id the fixtures use. */
export const USER_ID = '00ub0oNGTSWTBKOLGLNR';

/** An Okta error body. */
export function oktaErrorBody(errorCode: string, errorSummary: string): object {
  return { errorCode, errorSummary, errorLink: errorCode, errorId: 'oaeXyZ123abc', errorCauses: [] };
}

/** An authn transaction in `status`. */
export function authnBody(status: string): object {
  return {
    ...(status === 'SUCCESS' ? { sessionToken: '20111h0ZlxqVwrbfmV8dKpBz' } : { stateToken: '007ucIX7PATyn94hsHfOLVaXAmOBkKHWnOOLG43bsb' }),
    expiresAt: '2015-11-03T10:15:57.000Z',
    status,
    _embedded: { user: { id: USER_ID, passwordChanged: '2015-09-08T20:14:45.000Z', profile: { login: 'isaac.brock@example.com', firstName: 'Isaac', lastName: 'Brock', locale: 'en_US', timeZone: 'America/Los_Angeles' } } },
  };
}

/** A Users API user. */
export function userBody(status = 'ACTIVE'): object {
  return {
    id: USER_ID,
    status,
    created: '2013-06-24T16:39:18.000Z',
    activated: '2013-06-24T16:39:19.000Z',
    statusChanged: '2013-06-24T16:39:19.000Z',
    lastLogin: '2013-06-24T17:39:19.000Z',
    lastUpdated: '2013-07-02T21:36:25.344Z',
    passwordChanged: '2013-07-02T21:36:25.344Z',
    type: { id: 'otyfnjfba4ye7pgjB0g4' },
    profile: { login: 'isaac.brock@example.com', firstName: 'Isaac', lastName: 'Brock', nickName: 'issac', displayName: 'Isaac Brock', email: 'isaac.brock@example.com', secondEmail: null, mobilePhone: '555-415-1337', costCenter: 'cc-7' },
    credentials: { password: {}, recovery_question: { question: 'Who is a major player in the cowboy scene?' }, provider: { type: 'OKTA', name: 'OKTA' } },
    _links: {},
  };
}

/** A connector against {@link ORG}, with fast retries. */
export async function nockConnector(overrides: Record<string, unknown> = {}): Promise<{ connector: Connector; lines: string[] }> {
  const { context, lines } = testContext();
  const connector = await definition.create(oktaConfig({ orgUrl: ORG, apiToken: TOKEN, timeoutMs: 1000, ...overrides }), context);
  return { connector, lines };
}

/** Disable real network and clean nock between tests. */
export function useNock(): void {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());
}
