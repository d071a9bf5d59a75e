/**
 * Types of the migration engine's public API: modes, options and results.
 */
import type { ServiceIdentifier } from 'inversify';
import type { LoginFlags } from '../contracts/connector';
import type { UserProfile } from '../contracts/profile';

/**
 * How the engine uses the legacy source:
 * - `import`: migrate users into the store on login / getUser (Auth0 "Import Users").
 * - `proxy`: legacy stays the source of truth; nothing secret is stored.
 * - `disconnected`: migration is done; the store is authoritative and legacy is never called.
 */
export type MigrationMode = 'import' | 'proxy' | 'disconnected';

/** All modes. */
export const MIGRATION_MODES: readonly MigrationMode[] = ['import', 'proxy', 'disconnected'];

/** Engine settings, from `ferry.yaml`. */
export interface EngineOptions {
  /** The store connection users of this legacy source live under (default `default`). */
  connection: string;
  /** The mode used until `ferry mode` stores another one. */
  defaultMode: MigrationMode;
  /** Attempts for `markMigrated` (default 3) and the delay schedule base in ms (default 500). */
  markMigratedAttempts?: number;
  markMigratedDelayMs?: number;
  /** How long a mode read from the store is trusted before re-reading it, in ms (default 1000). */
  modeCacheMs?: number;
}

/** DI token for {@link EngineOptions}. */
export const EngineOptions: ServiceIdentifier<EngineOptions> = Symbol.for('@ferry/core/EngineOptions');

/** Where a successful login was decided. */
export type LoginSource = 'store' | 'legacy';

/** Why an engine login failed. Unknown users and wrong passwords are both `invalid_credentials`. */
export type EngineLoginFailure = 'invalid_credentials' | 'locked' | 'disabled' | 'unverified' | 'blocked';

/** Result of {@link MigrationEngine.login}. Transient legacy failures are thrown as `TransientError`. */
export type EngineLoginResult =
  | {
      ok: true;
      profile: UserProfile;
      source: LoginSource;
      /** True when this login moved the user (or their credential) into the store. */
      migrated: boolean;
      flags?: LoginFlags;
    }
  | { ok: false; reason: EngineLoginFailure };

/** Result of {@link MigrationEngine.getUser}. */
export interface EngineGetUserResult {
  profile: UserProfile;
  source: LoginSource;
  migrated: boolean;
}
