/**
 * The connector contract: what a legacy source must offer Ferry. Every capability is
 * optional and advertised by its presence; the engine names the missing one when a
 * flow needs it (see {@link requireCapability}).
 */
import type { ServiceIdentifier } from 'inversify';
import type { Logger } from 'pino';
import { ConfigError } from '../errors';
import type { ImportRecord, JsonObject, JsonValue, UserProfile } from './profile';
import type { PasswordHashing } from './password-hashing';
import type { HttpClientFactory } from '../http/http-types';

/** Flags a source can raise on a login whose password was right. */
export interface LoginFlags {
  /** The password is right but expired (Okta PASSWORD_EXPIRED). */
  passwordExpired?: boolean;
  /** The password is right and will expire soon (Okta PASSWORD_WARN). */
  passwordWarn?: boolean;
  /** The source wanted a second factor (Okta MFA_REQUIRED, Gigya 403101). */
  mfaRequired?: boolean;
  /** The source wanted a factor enrolled (Okta MFA_ENROLL). */
  mfaEnroll?: boolean;
  /** The account's email or registration is unverified (Gigya 206002, Stormpath 7102). */
  unverified?: boolean;
  /** The source demanded a password change (Gigya 403100). */
  passwordChangeRequired?: boolean;
}

/** Why a legacy login did not succeed. */
export type LoginFailureReason =
  | 'invalid_credentials'
  | 'not_found'
  | 'locked'
  | 'disabled'
  | 'unverified';

/** The typed outcome of a legacy `login`. Transient failures are thrown, not returned. */
export type LoginOutcome =
  | { ok: true; profile: UserProfile; flags?: LoginFlags }
  | { ok: false; reason: LoginFailureReason; message?: string };

/** A record the export could not turn into an import record, with the reason. */
export interface ExportReject {
  /** What identifies the row in the source (id, email, row number) — never a hash. */
  ref: { user_id?: string; email?: string; row?: number | string };
  /** Stable code, e.g. `missing_email`, `hash_unsupported`. */
  code: string;
  /** Human-readable reason. */
  reason: string;
}

/** One page of an export: records, per-row rejects, and where to resume after it. */
export interface ExportPage {
  records: ImportRecord[];
  rejects?: ExportReject[];
  /**
   * A small JSON value that restores the export right after this page. `null` means
   * the export is complete.
   */
  checkpoint: JsonValue;
}

/** Options for {@link Connector.exportUsers}. */
export interface ExportOptions {
  /** The checkpoint of the last committed page, or undefined to start from scratch. */
  checkpoint?: JsonValue;
  /** Aborts the export between pages. */
  signal?: AbortSignal;
  /**
   * Export only this partition: one of the values {@link Connector.planPartitions}
   * returned (opaque to the core). The checkpoint is the partition's own.
   */
  partition?: JsonValue;
}

/** A live connector: a legacy source Ferry can talk to. */
export interface Connector {
  /** The connector definition's id, e.g. `sql` or `okta`. */
  readonly id: string;
  /** Check credentials against the source. Throws {@link TransientError} for transient failures. */
  login?(identifier: string, password: string): Promise<LoginOutcome>;
  /** Look a user up by email; null when the source has none. Throws `DataError` code `ambiguous_email` for several. */
  getByEmail?(email: string): Promise<UserProfile | null>;
  /** Stream every user, page by page, resuming after `checkpoint`. */
  exportUsers?(options: ExportOptions): AsyncIterable<ExportPage>;
  /**
   * Split the export into at most `count` disjoint partitions that together hold every
   * user (e.g. key ranges), for parallel bulk workers. Each value is small JSON passed
   * back as {@link ExportOptions.partition}; it must stay valid for the whole run (it is
   * stored with the run so workers on other machines use the same split). May return
   * fewer (e.g. one) when the source is small or cannot be split further.
   */
  planPartitions?(count: number): Promise<JsonValue[]>;
  /** Tell the source this user now lives in the new store. */
  markMigrated?(profile: UserProfile): Promise<void>;
  /** Release pools and sockets. */
  close?(): Promise<void>;
}

/** The capabilities a connector can advertise. */
export type Capability = 'login' | 'getByEmail' | 'exportUsers' | 'planPartitions' | 'markMigrated';

/** All capabilities, in a stable order. */
export const ALL_CAPABILITIES: readonly Capability[] = ['login', 'getByEmail', 'exportUsers', 'planPartitions', 'markMigrated'];

/** The capabilities `connector` offers. */
export function capabilitiesOf(connector: Connector): Capability[] {
  return ALL_CAPABILITIES.filter((c) => typeof connector[c] === 'function');
}

/** A connector narrowed to one capability. */
export type With<C extends Capability> = Connector & Required<Pick<Connector, C>>;

/** Throw a clear config error unless `connector` offers `capability`. */
export function requireCapability<C extends Capability>(connector: Connector, capability: C, purpose: string): With<C> {
  if (typeof connector[capability] !== 'function') {
    throw new ConfigError('capability_missing', `Connector '${connector.id}' does not support ${capability}, which ${purpose} needs.`, {
      hint: `Connector '${connector.id}' offers: ${capabilitiesOf(connector).join(', ') || 'nothing'}. Choose a flow it supports or another connector.`,
      details: { connector: connector.id, capability },
    });
  }
  return connector as With<C>;
}

/**
 * A connector's config schema: a JSON Schema (draft 2020-12 subset, checked with ajv)
 * in which secret fields carry `"x-secret": true`. Secrets are redacted from logs and
 * `ferry init` templates ask for them through `${ENV}` variables.
 */
export type ConnectorConfigSchema = JsonObject & { type: 'object' };

/** What Ferry hands a connector when it creates one. */
export interface ConnectorContext {
  /** A child logger with the connector id bound; redacts secrets. */
  logger: Logger;
  /** The password-hashing service (for connectors that verify hashes themselves). */
  hashing: PasswordHashing;
  /** Creates HTTP clients with Ferry's retries, rate limits and timeouts (close what you create). */
  http: HttpClientFactory;
  /** Directory of the config file, for resolving relative paths in the connector config. */
  baseDir: string;
}

/**
 * A connector package's description of itself: id, config schema, and a factory.
 * Kept small and declarative (STYLE.md): the core does retries, validation, logging.
 */
export interface ConnectorDefinition<TConfig = JsonObject> {
  /** Short id used in `ferry.yaml` (`connector.id`), e.g. `sql`. */
  id: string;
  /** One line for `ferry init` and error listings. */
  description: string;
  /** JSON Schema of the connector's config; secret fields marked `"x-secret": true`. */
  configSchema: ConnectorConfigSchema;
  /** A commented YAML snippet for `ferry init --connector <id>` (the `config:` body). */
  configTemplate?: string;
  /** Create a live connector from validated config. */
  create(config: TConfig, context: ConnectorContext): Connector | Promise<Connector>;
}

/** DI token: every loaded connector definition is bound to it (multi-injection). */
export const ConnectorDefinition: ServiceIdentifier<ConnectorDefinition> = Symbol.for('@ferry/core/ConnectorDefinition');

/** DI token for the live connector the configuration selects. */
export const Connector: ServiceIdentifier<Connector> = Symbol.for('@ferry/core/Connector');
