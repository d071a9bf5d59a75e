/** A fake Auth0 Management API (token, bulk import jobs, limits) for tests and benchmarks. */
export { FAKE_AUTH0_CONNECTION, startFakeAuth0, type FakeAuth0 } from './fake-auth0-server';
export { FAKE_AUTH0_RATE_TIERS } from './fake-auth0-types';
export type {
  FakeAuth0Connection,
  FakeAuth0ExistingUser,
  FakeAuth0JobStatus,
  FakeAuth0JobSummary,
  FakeAuth0JobTiming,
  FakeAuth0Options,
  FakeAuth0RateLimit,
  FakeAuth0Stats,
  FakeAuth0UserError,
} from './fake-auth0-types';
export type { FakeAuth0Job } from './fake-auth0-jobs';
export { DUPLICATED_IN_FILE, type FakeAuth0StoredUser } from './fake-auth0-users';
