/** A fake Okta org for tests and benchmarks. */
export { startFakeOkta, type FakeOkta } from './fake-okta-server';
export { FakeOktaDirectory, fakeOktaId, type FakeOktaRecord } from './fake-okta-directory';
export { OKTA_ERRORS, oktaError, type OktaErrorCode } from './fake-okta-errors';
export type { FakeAuthnState, FakeOktaFailure, FakeOktaOptions, FakeOktaStats, FakeOktaStatus, FakeOktaUserInput, FakeRateLimit } from './fake-okta-types';
