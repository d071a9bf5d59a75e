/** Bulk import into Auth0: the Management API jobs client, the uploader and the `target.auth0` config. */
export { Auth0ManagementClient, type Auth0ManagementClientDeps, type Auth0ManagementClientOptions } from './auth0-management-client';
export {
  Auth0Uploader,
  type Auth0FileResult,
  type Auth0ImportFile,
  type Auth0UploadHandlers,
  type Auth0UploaderOptions,
  type Auth0UploadSummary,
} from './auth0-uploader';
export { Auth0Journal, type Auth0JournalEntry, type Auth0JournalState, type Auth0UnconfirmedSends } from './auth0-journal';
export { ALREADY_IMPORTED_BY_INTERRUPTED_JOB } from './unconfirmed-sends';
export { Auth0TokenSource, type Auth0TokenSourceOptions } from './auth0-token-source';
export type { Auth0ErrorCode } from './auth0-errors';
export {
  AUTH0_MAX_CONCURRENT_JOBS,
  AUTH0_RATE_TIERS,
  auth0RateLimit,
  type Auth0RateLimit,
  type Auth0RateTier,
  type Auth0TargetConfig,
  auth0TargetConfigSchema,
} from './auth0-target-config';
export type { Auth0ImportJobOptions, Auth0Job, Auth0JobErrors, Auth0JobStatus, Auth0JobSummary, Auth0UserError } from './auth0-types';
