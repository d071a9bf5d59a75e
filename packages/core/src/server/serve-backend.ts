/**
 * What the routes of `ferry serve` run: the migration engine (`backend: engine`, the
 * call migrates in `import` mode), or the connector alone (`backend: connector`, a
 * pure proxy for another identity system that never touches the store).
 */
import { requireCapability, type Connector } from '../contracts/connector';
import type { UserProfile } from '../contracts/profile';
import type { EngineGetUserResult, EngineLoginResult } from '../engine/engine-types';
import type { MigrationEngine } from '../engine/migration-engine';
import { normaliseLegacyProfile } from '../engine/profile-rules';
import { ConfigError, FerryError, TransientError } from '../errors';
import type { UserStore } from '../store/user-store';

/** The operations behind the routes. */
export interface ServeBackend {
  readonly kind: 'engine' | 'connector';
  login(identifier: string, password: string): Promise<EngineLoginResult>;
  getUser(email: string): Promise<EngineGetUserResult | null>;
  /** Find by email (as getUser) or by username (store only: legacy connectors look up by email). */
  lookup(usernameOrEmail: string): Promise<EngineGetUserResult | null>;
  signup(email: string, password: string, profile: Omit<UserProfile, 'user_id' | 'email'>): Promise<UserProfile>;
  changePassword(email: string, password: string): Promise<boolean>;
  verifyEmail(email: string): Promise<boolean>;
  deleteUser(userId: string): Promise<boolean>;
  /** Wait for background work (markMigrated retries). */
  drain(): Promise<void>;
}

/** Every route runs the engine. */
export function engineBackend(engine: MigrationEngine, store: UserStore): ServeBackend {
  return {
    kind: 'engine',
    login: (i, p) => engine.login(i, p),
    getUser: (e) => engine.getUser(e),
    async lookup(key) {
      if (key.includes('@')) return engine.getUser(key);
      const stored = await store.findByUsername(engine.connection, key);
      return stored === null ? null : { profile: stored.profile, source: 'store', migrated: false };
    },
    signup: (e, p, profile) => engine.signup(e, p, profile),
    changePassword: (e, p) => engine.changePassword(e, p),
    verifyEmail: (e) => engine.verifyEmail(e),
    deleteUser: (id) => engine.deleteUser(id),
    drain: () => engine.drain(),
  };
}

const notInProxy = (what: string) =>
  new ConfigError('not_supported_by_backend', `${what} is not available when ferry serve is a pure proxy (serve.backend: connector): legacy stays the source of truth.`, {
    hint: "Do it in the legacy system, or run with 'serve.backend: engine'.",
  });

/** Routes call only the connector; nothing is stored. */
export function connectorBackend(connector: Connector): ServeBackend {
  const getUser = async (email: string): Promise<EngineGetUserResult | null> => {
    const c = requireCapability(connector, 'getByEmail', 'getUser');
    const raw = await legacy('getByEmail', () => c.getByEmail(email));
    return raw === null ? null : { profile: normaliseLegacyProfile(raw, connector.id), source: 'legacy', migrated: false };
  };
  return {
    kind: 'connector',
    async login(identifier, password) {
      const c = requireCapability(connector, 'login', 'login');
      const outcome = await legacy('login', () => c.login(identifier, password));
      if (!outcome.ok) return { ok: false, reason: outcome.reason === 'not_found' ? 'invalid_credentials' : outcome.reason };
      const profile = normaliseLegacyProfile(outcome.profile, connector.id);
      if (profile.blocked === true) return { ok: false, reason: 'blocked' };
      return { ok: true, profile, source: 'legacy', migrated: false, ...(outcome.flags === undefined ? {} : { flags: outcome.flags }) };
    },
    getUser,
    lookup: (key) => (key.includes('@') ? getUser(key) : Promise.resolve(null)),
    signup: () => Promise.reject(notInProxy('Creating users')),
    changePassword: () => Promise.reject(notInProxy('Changing passwords')),
    verifyEmail: () => Promise.reject(notInProxy('Verifying emails')),
    deleteUser: () => Promise.reject(notInProxy('Deleting users')),
    drain: () => Promise.resolve(),
  };
}

/** As the engine does: an unclassified legacy failure is transient, never "wrong password". */
async function legacy<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof FerryError) throw err;
    throw new TransientError('legacy_unavailable', `The legacy source did not answer ${what}.`, { hint: 'Retry later; check that the legacy source is reachable.', cause: err });
  }
}
