/**
 * The SQL connector: the configured queries, the row mapping, and the legacy hash
 * checked by the core's hashing service — no call to the legacy app beyond the SELECT.
 */
import { DataError, type Connector, type ConnectorContext, type ExportOptions, type ExportPage, type ExportReject, type ImportRecord, type JsonValue, type LoginOutcome, type UserProfile } from '@ferry/core';
import type { SqlConnectorConfig } from './config-schema';
import type { SqlDriver, SqlParams, SqlRow } from './drivers/sql-driver';
import { ExportRowConverter, isReject } from './export-rows';
import { compileQuery, type CompiledQuery, type NamedQuery } from './named-query';
import { checkColumns, mapRow } from './row-mapping';
import { storedHash } from './stored-hash';

/** The checked queries of a config, by capability. */
export interface SqlQueries {
  findByEmail: NamedQuery;
  findByUsername?: NamedQuery;
  exportPage?: NamedQuery;
  markMigrated?: NamedQuery;
}

const INVALID: LoginOutcome = { ok: false, reason: 'invalid_credentials' };

/** A live connection to one legacy database. */
export class SqlConnector implements Connector {
  readonly id = 'sql';
  private readonly compiled = new Map<string, CompiledQuery>();
  private readonly checkedColumns = new Set<string>();

  constructor(
    private readonly config: SqlConnectorConfig,
    private readonly queries: SqlQueries,
    private readonly driver: SqlDriver,
    private readonly context: ConnectorContext,
  ) {
    // Capabilities are advertised by presence, so drop the ones the config leaves out.
    if (!queries.exportPage) this.exportUsers = undefined as never;
    if (!queries.markMigrated) this.markMigrated = undefined as never;
  }

  private async select(query: NamedQuery, params: SqlParams, extraColumns: string[] = []): Promise<SqlRow[]> {
    let compiled = this.compiled.get(query.key);
    if (!compiled) {
      compiled = compileQuery(query, this.driver.placeholders);
      this.compiled.set(query.key, compiled);
    }
    const rows = await this.driver.select(compiled, params);
    if (rows[0] && !this.checkedColumns.has(query.key)) {
      checkColumns(this.config.mapping, rows[0], query.key, extraColumns);
      this.checkedColumns.add(query.key);
    }
    return rows;
  }

  /** The one row for an email or username; DataError `ambiguous_email` when there are several. */
  private async findOne(identifier: string): Promise<SqlRow | undefined> {
    const byUsername = !identifier.includes('@');
    const query = byUsername ? this.queries.findByUsername : this.queries.findByEmail;
    if (!query) return undefined; // no username lookup configured: an unknown user
    const rows = await this.select(query, byUsername ? { username: identifier } : { email: identifier }, [this.config.password.column]);
    if (rows.length > 1) {
      const ids = rows.map((r) => mapRow(r, this.config.mapping).profile.user_id);
      throw new DataError('ambiguous_email', `${rows.length} legacy users match this ${byUsername ? 'username' : 'email'} (ids ${ids.join(', ')}).`, {
        hint: 'Merge or fix the duplicate rows in the legacy database; Ferry never picks one of several users.',
        details: { user_ids: ids, key: query.key },
      });
    }
    return rows[0];
  }

  private profileOf(row: SqlRow): UserProfile {
    const { profile, problems } = mapRow(row, this.config.mapping);
    for (const problem of problems) this.context.logger.warn({ user_id: profile.user_id }, `legacy row: ${problem}`);
    return profile;
  }

  async login(identifier: string, password: string): Promise<LoginOutcome> {
    const row = await this.findOne(identifier);
    if (!row) return { ok: false, reason: 'not_found' };
    const profile = this.profileOf(row);
    const stored = storedHash(row, this.config.password);
    // A missing or unreadable hash looks exactly like a wrong password to the caller;
    // only the log (never with the hash) says which it was.
    if (stored === null) {
      this.context.logger.warn({ user_id: profile.user_id, reason: 'password_missing' }, 'legacy user has no password hash');
      return INVALID;
    }
    let match: boolean;
    try {
      match = (await this.context.hashing.verify(stored, password)).match;
    } catch (err) {
      if (!(err instanceof DataError)) throw err;
      this.context.logger.warn({ user_id: profile.user_id, reason: err.code }, `legacy password hash not verifiable: ${err.message}`);
      return INVALID;
    }
    if (!match) return INVALID;
    if (profile.blocked === true) return { ok: false, reason: 'disabled' };
    return { ok: true, profile };
  }

  async getByEmail(email: string): Promise<UserProfile | null> {
    if (!email.includes('@')) return null;
    const row = await this.findOne(email);
    return row ? this.profileOf(row) : null;
  }

  async *exportUsers(options: ExportOptions): AsyncGenerator<ExportPage> {
    const query = this.queries.exportPage as NamedQuery;
    const keyColumn = this.config.export.keyColumn ?? this.config.mapping.user_id;
    const limit = this.config.export.pageSize;
    const converter = new ExportRowConverter(this.config);
    let after = (options.checkpoint ?? this.config.export.start) as string | number;
    for (;;) {
      options.signal?.throwIfAborted();
      const rows = await this.select(query, { after, limit }, [keyColumn, this.config.password.column]);
      const records: ImportRecord[] = [];
      const rejects: ExportReject[] = [];
      for (const row of rows) {
        const out = converter.convert(row, String(row[keyColumn]));
        if (isReject(out)) rejects.push(out);
        else records.push(out);
      }
      const last = rows[rows.length - 1];
      const done = rows.length < limit || last === undefined;
      if (!done) after = checkpointOf(last[keyColumn]);
      yield { records, ...(rejects.length > 0 ? { rejects } : {}), checkpoint: done ? null : after };
      if (done) break;
    }
    if (converter.passwordless > 0) this.context.logger.info({ count: converter.passwordless }, 'exported users without a password hash (NULL password column)');
  }

  async markMigrated(profile: UserProfile): Promise<void> {
    const query = this.queries.markMigrated as NamedQuery;
    let compiled = this.compiled.get(query.key);
    if (!compiled) {
      compiled = compileQuery(query, this.driver.placeholders);
      this.compiled.set(query.key, compiled);
    }
    await this.driver.run(compiled, { user_id: profile.user_id, email: profile.email ?? null });
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}

/** A key as a small JSON value (bigint and Date keys become strings). */
function checkpointOf(value: unknown): string | number {
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  return String(value as JsonValue);
}
