/**
 * The migration engine: Auth0's custom-database import model, self-hosted.
 *
 * Login: a user with a credential in the store is verified locally and never touches
 * legacy again; otherwise (mode `import`) legacy checks the password and the user is
 * created with the same user_id, an argon2id credential and their metadata in one
 * transaction. See docs/ARCHITECTURE.md for the whole flow.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { inject, injectable } from 'inversify';
import { Connector, requireCapability } from '../contracts/connector';
import { PasswordHashing } from '../contracts/password-hashing';
import type { UserProfile } from '../contracts/profile';
import { ConfigError, DataError, FerryError, TransientError } from '../errors';
import { Logger } from '../logging/logger';
import { UserStore, normaliseKey, type StoredCredential, type StoredUser } from '../store/user-store';
import { BackgroundTasks } from './background-tasks';
import {
  EngineOptions,
  type EngineGetUserResult,
  type EngineLoginResult,
  type MigrationMode,
} from './engine-types';
import { KeyedFlight } from './keyed-flight';
import { readMode, writeMode } from './mode-setting';
import { normaliseLegacyProfile, profileDrift } from './profile-rules';

/** Longest password accepted; longer input is refused before any hashing (DoS guard). */
export const MAX_PASSWORD_LENGTH = 1024;

const CURRENT_SCHEME = 'argon2id';

/** The migration engine. One instance per process and connection. */
@injectable()
export class MigrationEngine {
  /** Set once the missing-login warning was logged (see login). */
  private warnedNoLogin = false;
  private readonly flights = new KeyedFlight();
  private readonly background: BackgroundTasks;
  private dummyHash: Promise<string> | undefined;
  private modeCache: { mode: MigrationMode; at: number } | undefined;

  constructor(
    @inject(UserStore) private readonly store: UserStore,
    @inject(Connector) private readonly connector: Connector,
    @inject(PasswordHashing) private readonly hashing: PasswordHashing,
    @inject(Logger) private readonly logger: Logger,
    @inject(EngineOptions) private readonly options: EngineOptions,
  ) {
    this.background = new BackgroundTasks(logger);
  }

  /** The store connection this engine serves. */
  get connection(): string {
    return this.options.connection;
  }

  /** The effective mode: the one set with `ferry mode`, else the configured default. */
  async mode(): Promise<MigrationMode> {
    const now = Date.now();
    if (this.modeCache && now - this.modeCache.at < (this.options.modeCacheMs ?? 1000)) return this.modeCache.mode;
    const mode = await readMode(this.store, this.connection, this.options.defaultMode);
    this.modeCache = { mode, at: now };
    return mode;
  }

  /** Persist a mode for every process sharing this store. */
  async setMode(mode: MigrationMode): Promise<void> {
    await writeMode(this.store, this.connection, mode, this.options.defaultMode);
    this.modeCache = { mode, at: Date.now() };
  }

  /** Authenticate; migrate on first success in `import` mode. */
  async login(identifier: string, password: string): Promise<EngineLoginResult> {
    checkLoginInput(identifier, password);
    const mode = await this.mode();
    if (mode === 'proxy') return this.proxyLogin(identifier, password);
    const found = await this.store.findForLogin(this.connection, identifier);
    if (found?.credential) {
      const local = await this.verifyLocal(found.user, found.credential, password);
      if (local !== 'unusable') return local;
    }
    if (mode === 'disconnected' || this.connector.login === undefined) {
      if (mode === 'import' && this.connector.login === undefined && !this.warnedNoLogin) {
        // Not an error per login: for an export-only source, a user missing from the store is
        // simply unknown. But the operator should know trickle migration cannot happen.
        this.warnedNoLogin = true;
        this.logger.warn(
          { connector: this.connector.id, code: 'capability_missing' },
          `connector '${this.connector.id}' cannot check passwords (no login capability): users not in the store are refused as unknown instead of being migrated at login; import them in bulk (ferry migrate --remaining) or use a connector that can log in`,
        );
      }
      if (!found?.credential) await this.burnDummyVerify(password);
      return { ok: false, reason: 'invalid_credentials' };
    }
    return this.flights.run(`login:${normaliseKey(identifier)}`, () => this.legacyLogin(identifier, password));
  }

  /** Look a user up by email: store first, then legacy (created without credential in `import` mode). */
  async getUser(email: string): Promise<EngineGetUserResult | null> {
    checkEmail(email);
    const stored = await this.store.findByEmail(this.connection, email);
    if (stored) return { profile: stored.profile, source: 'store', migrated: false };
    const mode = await this.mode();
    if (mode === 'disconnected') return null;
    const connector = requireCapability(this.connector, 'getByEmail', 'getUser (password reset and sign-up checks)');
    const raw = await this.callLegacy('getByEmail', () => connector.getByEmail(email));
    if (raw === null) return null;
    const profile = normaliseLegacyProfile(raw, this.connector.id);
    if (profile.email === undefined || normaliseKey(profile.email) !== normaliseKey(email)) {
      throw new DataError('legacy_email_mismatch', `Connector '${this.connector.id}' answered a lookup of one email with user '${profile.user_id}' of another email.`, {
        hint: 'Fix the connector\'s getByEmail query: it must match the email exactly (case-insensitively).',
        details: { user_id: profile.user_id },
      });
    }
    if (mode === 'proxy') return { profile, source: 'legacy', migrated: false };
    return this.flights.run(`login:${normaliseKey(email)}`, async () => {
      const result = await this.store.createUser({
        connection: this.connection,
        profile,
        origin: 'get_user',
        log: { event: 'migrated', email, detail: { via: 'get_user' } },
      });
      if (result.created) {
        this.scheduleMarkMigrated(profile);
        return { profile, source: 'legacy', migrated: true };
      }
      if (result.conflict === 'user_id' && result.existing.profile.email !== undefined && normaliseKey(result.existing.profile.email) === normaliseKey(email)) {
        return { profile: result.existing.profile, source: 'store', migrated: false };
      }
      return this.rejectIdMismatch(profile, result.existing, 'get_user');
    });
  }

  /** Create a native user; refused when the email exists in the store or in legacy. */
  async signup(email: string, password: string, profile: Omit<UserProfile, 'user_id' | 'email'> = {}): Promise<UserProfile> {
    checkLoginInput(email, password);
    checkEmail(email);
    const userExists = () =>
      new DataError('user_exists', `A user with email '${email}' already exists.`, { hint: 'Log in, or reset the password, instead of signing up again.' });
    if (await this.store.findByEmail(this.connection, email)) throw userExists();
    if ((await this.mode()) !== 'disconnected') {
      const connector = requireCapability(this.connector, 'getByEmail', 'sign-up (to check that legacy has no user with this email)');
      if ((await this.callLegacy('getByEmail', () => connector.getByEmail(email))) !== null) throw userExists();
    }
    const user: UserProfile = { ...profile, user_id: randomUUID(), email: email.trim() };
    const hash = await this.hashing.hash(password);
    const result = await this.store.createUser({
      connection: this.connection,
      profile: user,
      origin: 'native',
      credential: { hash, scheme: CURRENT_SCHEME, source: 'native' },
      log: { event: 'migrated', email: user.email as string, detail: { via: 'signup' } },
    });
    if (!result.created) throw userExists();
    return user;
  }

  /** Set a new password; migrates the user through getUser first when needed. False when nobody has that email. */
  async changePassword(email: string, newPassword: string): Promise<boolean> {
    checkLoginInput(email, newPassword);
    if ((await this.mode()) === 'proxy') {
      throw new ConfigError('mode_proxy_read_only', 'Passwords cannot be changed in proxy mode: legacy is the source of truth.', {
        hint: "Change it in the legacy system, or switch to import mode with 'ferry mode import'.",
      });
    }
    const found = await this.getUser(email);
    if (found === null) return false;
    const hash = await this.hashing.hash(newPassword);
    return this.store.setCredential(this.connection, found.profile.user_id, { hash, scheme: CURRENT_SCHEME, source: 'password_change' }, {
      log: { event: 'password_changed', email },
    });
  }

  /** Mark a stored user's email as verified. False when absent. */
  async verifyEmail(email: string): Promise<boolean> {
    const found = await this.getUser(email);
    // In proxy mode the user is not in the store and updateProfile answers false.
    return found !== null && this.store.updateProfile(this.connection, found.profile.user_id, { ...found.profile, email_verified: true });
  }

  /** Delete a user from the store (legacy is untouched). */
  async deleteUser(userId: string): Promise<boolean> {
    return this.store.deleteUser(this.connection, userId);
  }

  /** Wait for background work (markMigrated retries). Call before exiting. */
  async drain(): Promise<void> {
    await this.background.drain();
  }

  private async verifyLocal(user: StoredUser, credential: StoredCredential, password: string): Promise<EngineLoginResult | 'unusable'> {
    let match: boolean;
    try {
      match = (await this.hashing.verify(credential.hash, password)).match;
    } catch (err) {
      // An imported hash Ferry cannot check: let legacy decide if it still can.
      this.logger.error({ user_id: user.profile.user_id, scheme: credential.scheme, code: (err as FerryError).code }, 'stored credential cannot be verified');
      return 'unusable';
    }
    if (!match) return { ok: false, reason: 'invalid_credentials' };
    if (this.hashing.needsRehash(credential.hash)) await this.rehash(user, credential, password);
    if (user.profile.blocked === true) return { ok: false, reason: 'blocked' };
    return { ok: true, profile: user.profile, source: 'store', migrated: false };
  }

  private async rehash(user: StoredUser, credential: StoredCredential, password: string): Promise<void> {
    try {
      const hash = await this.hashing.hash(password);
      await this.store.setCredential(this.connection, user.profile.user_id, { hash, scheme: CURRENT_SCHEME, source: 'rehash' }, {
        ifCurrent: credential.hash,
        log: { event: 'rehashed', detail: { from: credential.scheme, to: CURRENT_SCHEME } },
      });
    } catch (err) {
      // The login itself succeeded; the upgrade is retried at the next login.
      this.logger.warn({ user_id: user.profile.user_id, err: (err as Error).message }, 'rehash failed');
    }
  }

  /** The first-login path, run once at a time per identifier. */
  private async legacyLogin(identifier: string, password: string): Promise<EngineLoginResult> {
    // Another flight may have migrated this user while we waited.
    const found = await this.store.findForLogin(this.connection, identifier);
    if (found?.credential) {
      const local = await this.verifyLocal(found.user, found.credential, password);
      if (local !== 'unusable') return local;
    }
    const connector = requireCapability(this.connector, 'login', 'login');
    const outcome = await this.callLegacy('login', () => connector.login(identifier, password));
    if (!outcome.ok) return { ok: false, reason: outcome.reason === 'not_found' ? 'invalid_credentials' : outcome.reason };
    const profile = normaliseLegacyProfile(outcome.profile, this.connector.id);
    const hash = await this.hashing.hash(password);
    const credential = { hash, scheme: CURRENT_SCHEME, source: 'login' as const };
    const success = (p: UserProfile): EngineLoginResult => ({
      ok: true,
      profile: p,
      source: 'legacy',
      migrated: true,
      ...(outcome.flags === undefined ? {} : { flags: outcome.flags }),
    });

    const existing = found?.user ?? (await this.store.findById(this.connection, profile.user_id));
    if (existing) {
      if (existing.profile.user_id !== profile.user_id) return this.rejectIdMismatch(profile, existing, 'login');
      // Known from getUser or a bulk import without hash: this login supplies the credential.
      const drift = profileDrift(existing.profile, profile);
      if (drift.length > 0) await this.reportDrift(profile, drift);
      await this.store.updateProfile(this.connection, profile.user_id, profile);
      const hadCredential = found?.credential ?? (await this.store.getCredential(this.connection, profile.user_id));
      await this.store.setCredential(this.connection, profile.user_id, credential, {
        ...(hadCredential ? { ifCurrent: hadCredential.hash } : { ifAbsent: true }),
        log: { event: 'credential_set', ...(profile.email === undefined ? {} : { email: profile.email }), detail: { via: 'login' } },
      });
      this.scheduleMarkMigrated(profile);
      return blockedOr(profile, success(profile));
    }

    const created = await this.store.createUser({
      connection: this.connection,
      profile,
      origin: 'login',
      credential,
      log: { event: 'migrated', ...(profile.email === undefined ? {} : { email: profile.email }), detail: { via: 'login' } },
    });
    if (created.created) {
      this.scheduleMarkMigrated(profile);
      return blockedOr(profile, success(profile));
    }
    if (created.conflict === 'user_id') {
      // Another process migrated this user a moment ago; legacy just confirmed the password.
      await this.store.setCredential(this.connection, profile.user_id, credential, { ifAbsent: true });
      return blockedOr(created.existing.profile, success(created.existing.profile));
    }
    return this.rejectIdMismatch(profile, created.existing, 'login');
  }

  private async proxyLogin(identifier: string, password: string): Promise<EngineLoginResult> {
    const connector = requireCapability(this.connector, 'login', 'login in proxy mode');
    const outcome = await this.callLegacy('login', () => connector.login(identifier, password));
    if (!outcome.ok) return { ok: false, reason: outcome.reason === 'not_found' ? 'invalid_credentials' : outcome.reason };
    const profile = normaliseLegacyProfile(outcome.profile, this.connector.id);
    return blockedOr(profile, {
      ok: true,
      profile,
      source: 'legacy',
      migrated: false,
      ...(outcome.flags === undefined ? {} : { flags: outcome.flags }),
    });
  }

  /** Best practice 1: one email, one user_id. Log it, refuse it, never duplicate. */
  private async rejectIdMismatch(profile: UserProfile, existing: StoredUser, via: 'login' | 'get_user'): Promise<never> {
    await this.store.appendLog({
      connection: this.connection,
      event: 'id_mismatch',
      userId: profile.user_id,
      ...(profile.email === undefined ? {} : { email: profile.email }),
      detail: { via, stored_user_id: existing.profile.user_id },
    });
    this.logger.error({ user_id: profile.user_id, stored_user_id: existing.profile.user_id, via }, 'legacy user_id differs from the stored user with the same email or username');
    throw new DataError(
      'legacy_id_mismatch',
      `Legacy returned user '${profile.user_id}', but the store already holds '${existing.profile.user_id}' with the same email or username.`,
      {
        hint: "The same user must always get the same user_id. Fix the connector's id mapping, or untangle the two with 'ferry users get/delete'.",
        details: { user_id: profile.user_id, stored_user_id: existing.profile.user_id },
      },
    );
  }

  private async reportDrift(profile: UserProfile, fields: string[]): Promise<void> {
    this.logger.warn({ user_id: profile.user_id, fields }, 'login and getUser returned different profiles for one user');
    await this.store.appendLog({ connection: this.connection, event: 'profile_drift', userId: profile.user_id, detail: { fields } });
  }

  /** Best practice 6, off the login path: tell legacy, retry, record the result. */
  private scheduleMarkMigrated(profile: UserProfile): void {
    const mark = this.connector.markMigrated?.bind(this.connector);
    if (mark === undefined) return;
    const base = this.options.markMigratedDelayMs ?? 500;
    this.background.retry(
      'markMigrated',
      { attempts: this.options.markMigratedAttempts ?? 3, delayMs: (n) => base * 4 ** n },
      () => mark(profile),
      async (ok, error, attempts) => {
        const detail = ok ? { attempts } : { attempts, error: error instanceof FerryError ? error.code : 'error' };
        if (!ok) this.logger.warn({ user_id: profile.user_id, attempts }, 'markMigrated failed');
        await this.store.appendLog({ connection: this.connection, event: ok ? 'mark_migrated_ok' : 'mark_migrated_failed', userId: profile.user_id, detail });
      },
    );
  }

  /** Call legacy; anything that is not a Ferry error of a known class becomes transient. */
  private async callLegacy<T>(what: string, call: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await call();
    } catch (err) {
      if (err instanceof FerryError) throw err;
      // An unclassified failure (socket error, driver error) is never "wrong password".
      throw new TransientError('legacy_unavailable', `The legacy source did not answer ${what}: ${(err as Error)?.message ?? String(err)}.`, {
        hint: 'Retry later; check that the legacy source is reachable.',
        cause: err,
      });
    } finally {
      this.logger.debug({ connector: this.connector.id, call: what, ms: Math.round(performance.now() - started) }, 'legacy call');
    }
  }

  /** Spend the time a real verify would, so unknown users and wrong passwords look alike. */
  private async burnDummyVerify(password: string): Promise<void> {
    this.dummyHash ??= this.hashing.hash(randomBytes(24).toString('base64'));
    await this.hashing.verify(await this.dummyHash, password);
  }
}

function blockedOr(profile: UserProfile, result: EngineLoginResult): EngineLoginResult {
  return profile.blocked === true ? { ok: false, reason: 'blocked' } : result;
}

function checkLoginInput(identifier: string, password: string): void {
  if (typeof identifier !== 'string' || identifier.trim() === '' || identifier.length > 512) {
    throw new DataError('identifier_invalid', 'The identifier must be a non-empty string of at most 512 characters.');
  }
  if (typeof password !== 'string' || password.length === 0 || password.length > MAX_PASSWORD_LENGTH) {
    throw new DataError('password_invalid', `The password must be a non-empty string of at most ${MAX_PASSWORD_LENGTH} characters.`);
  }
}

function checkEmail(email: string): void {
  if (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(email.trim()) || email.length > 254) {
    throw new DataError('email_invalid', 'The email address is not valid.', { hint: 'Give an address like name@example.com.' });
  }
}
