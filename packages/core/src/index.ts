/**
 * `@ferry/core`: the engine, connector contract, user store, password hashing,
 * HTTP client and configuration of Ferry.
 */
import 'reflect-metadata';

export * from './errors';
export * from './contracts/profile';
export * from './contracts/password-hash';
export * from './contracts/password-hashing';
export * from './contracts/connector';
export * from './logging/logger';
export * from './config/ferry-config';
export * from './config/interpolate';
export * from './config/validate';
export * from './config/load-config';
export * from './config/config-template';
export * from './connectors/connector-loader';
export * from './store/user-store';
export * from './store/sqlite-user-store';
export * from './store/open-store';
export * from './store/postgres-user-store';
export * from './store/postgres-url';
export * from './store/postgres-advisory-lock';
export * from './store/postgres-store-copy';
export * from './store/sqlite-store-reader';
export * from './store/store-copy';
export * from './store/store-admin';
export * from './engine/engine-types';
export * from './engine/profile-rules';
export * from './engine/mode-setting';
export * from './engine/migration-engine';
export * from './runtime/ferry-runtime';
export * from './bulk';
export * from './bulk/auth0';
export * from './hashing';
export * from './http';
export * from './server';
