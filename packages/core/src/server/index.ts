/**
 * `ferry serve`: the secured HTTP API in front of the legacy store (docs/SERVE.md).
 */
export * from './serve-config';
export * from './auth';
export * from './throttle';
export * from './failure-floor';
export * from './hash-slots';
export * from './serve-metrics';
export * from './legacy-instrument';
export * from './serve-backend';
export * from './http-errors';
export * from './readiness';
export * from './serve-app';
export * from './start-serve';
export * from './auth0-scripts';
export { toKeycloakUser, type KeycloakLegacyUser } from './adapters/keycloak';
export { oktaVerdict, OKTA_PASSWORD_IMPORT_EVENT } from './adapters/okta';
