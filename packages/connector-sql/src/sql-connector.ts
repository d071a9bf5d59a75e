/**
 * The SQL connector: the configured queries, the row mapping, and the legacy hash
 * checked by the core's hashing service — no call to the legacy app beyond the SELECT.
 */
import { ConfigError, DataError, type Connector, type ConnectorContext, type ExportOptions, type ExportPage, type JsonValue, type LoginOutcome, type UserProfile } from '@ferry/core';
import type { SqlConnectorConfig } from './config-schema';
import type { SqlDriver, SqlParams, SqlRow, SqlRows } from './drivers/sql-driver';
import { ExportRowConverter } from './export-rows';
import { compileQuery, type CompiledQuery, type NamedQuery } from './named-query';
import { KEY_BOUNDS_COLUMNS, compareKeys, integerRanges, keyOrderError, keyValue, parsePartition, partitionCount, quantileRanges, type Key, type KeyKind, type KeyRange } from './key-ranges';
import { checkColumns, mapRow } from './row-mapping';
import { storedHash } from './stored-hash';

/** The checked queries of a config, by capability. */
export interface SqlQueries {
  findByEmail: NamedQuery;
  findByUsername?: NamedQuery;
  exportPage?: NamedQuery;
  markMigrated?: NamedQuery;
  keyBounds?: NamedQuery;
  keyAt?: NamedQuery;
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
    if (!queries.keyBounds) this.planPartitions = undefined as never;
  }

  private compile(query: NamedQuery): CompiledQuery {
    let compiled = this.compiled.get(query.key);
    if (!compiled) {
      compiled = compileQuery(query, this.driver.placeholders);
      this.compiled.set(query.key, compiled);
    }
    return compiled;
  }

  private async select(query: NamedQuery, params: SqlParams, extraColumns: string[] = []): Promise<SqlRow[]> {
    const rows = await this.driver.select(this.compile(query), params);
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

  /** Integer keys when export.start is a number, text keys when it is a string. */
  private get keyKind(): KeyKind {
    return typeof this.config.export.start === 'number' ? 'integer' : 'text';
  }

  /** The one row of a helper query (keyBounds, keyAt), checked for the columns it must return. */
  private async helperRow(query: NamedQuery, params: SqlParams, columns: readonly string[]): Promise<SqlRow | undefined> {
    const [row] = await this.driver.select(this.compile(query), params);
    const missing = row ? columns.filter((c) => !(c in row)) : [];
    if (row && missing.length > 0) {
      throw new ConfigError('query_columns_missing', `${query.key} does not return the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}.`, {
        hint: `Columns ${query.key} returns: ${Object.keys(row).join(', ')}. Name them with AS (e.g. count(*) AS total).`,
        details: { key: query.key, columns: missing },
      });
    }
    return row;
  }

  /**
   * Up to `count` key ranges covering every row: equal row counts through `keyAt` when
   * configured, else equal integer ranges between `keyBounds`' low and high.
   */
  async planPartitions(count: number): Promise<JsonValue[]> {
    const bounds = await this.helperRow(this.queries.keyBounds as NamedQuery, {}, KEY_BOUNDS_COLUMNS);
    const total = bounds ? Number(bounds.total) : 0;
    if (!Number.isSafeInteger(total) || total < 0) {
      throw new ConfigError('query_columns_missing', 'queries.keyBounds returns a total that is not a row count.', { hint: 'Return count(*) AS total.', details: { key: 'queries.keyBounds' } });
    }
    const n = partitionCount(count, total);
    const keyColumn = this.keyColumn;
    const keyAt = this.queries.keyAt;
    const ranges: KeyRange[] =
      n === 1
        ? [{ from: null, to: null }]
        : keyAt
        ? await quantileRanges(total, n, this.keyKind, async (offset) => (await this.helperRow(keyAt, { offset }, [keyColumn]))?.[keyColumn])
        : integerRanges({ low: bounds?.low ?? null, high: bounds?.high ?? null, total }, n);
    return ranges.map((r) => ({ from: r.from, to: r.to }));
  }

  private get keyColumn(): string {
    return this.config.export.keyColumn ?? this.config.mapping.user_id;
  }

  async *exportUsers(options: ExportOptions): AsyncGenerator<ExportPage> {
    const query = this.queries.exportPage as NamedQuery;
    const compiled = this.compile(query);
    const keyColumn = this.keyColumn;
    const kind = this.keyKind;
    const limit = this.config.export.pageSize;
    const range = options.partition === undefined ? undefined : parsePartition(options.partition);
    const read = (after: Key): Promise<SqlRows> => this.driver.selectRows(compiled, { after, limit });
    let converter: ExportRowConverter | undefined;
    let keyAt = -1;
    let after: Key = startKey(kind, this.config.export.start, range?.from ?? null, options.checkpoint as Key | null | undefined);
    let previous: unknown = range?.from ?? undefined;
    // The next page, already requested while this one is converted (async drivers only).
    let next: Promise<SqlRows> | undefined;
    try {
      for (;;) {
        options.signal?.throwIfAborted();
        const result = await (next ?? read(after));
        next = undefined;
        if (!converter) {
          // The statement's columns are fixed: compile the mapping once per export.
          converter = new ExportRowConverter(this.config, result.columns, query.key, keyColumn);
          keyAt = result.columns.lastIndexOf(keyColumn);
        }
        let rows = result.rows;
        let done = rows.length < limit;
        if (range) {
          // Keys must rise in Ferry's order too, or "beyond to" would cut in the wrong place.
          for (const values of rows) {
            if (previous !== undefined && compareKeys(kind, values[keyAt], previous) <= 0) throw keyOrderError(query.key);
            previous = values[keyAt];
          }
          const to = range.to;
          const last = rows[rows.length - 1];
          if (to !== null && last !== undefined && compareKeys(kind, last[keyAt], to) >= 0) {
            rows = rows.filter((values) => compareKeys(kind, values[keyAt], to) <= 0);
            done = true;
          }
        }
        const last = rows[rows.length - 1];
        done ||= last === undefined;
        if (!done) {
          after = keyValue((last as unknown[])[keyAt]);
          if (this.driver.concurrent) {
            next = read(after);
            // Awaited on the next turn, or in finally; never an unhandled rejection meanwhile.
            next.catch(() => undefined);
          }
        }
        const { records, rejects } = converter.convertPage(rows, keyAt);
        yield { records, ...(rejects.length > 0 ? { rejects } : {}), checkpoint: done ? null : after };
        if (done) break;
      }
    } finally {
      // A consumer that stops early must not leave a query running into close().
      await next?.catch(() => undefined);
    }
    if (converter && converter.passwordless > 0) this.context.logger.info({ count: converter.passwordless }, 'exported users without a password hash (NULL password column)');
  }

  async markMigrated(profile: UserProfile): Promise<void> {
    await this.driver.run(this.compile(this.queries.markMigrated as NamedQuery), { user_id: profile.user_id, email: profile.email ?? null });
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}

/** Where an export starts: after the checkpoint, but never before the partition's start. */
function startKey(kind: KeyKind, start: Key, from: Key | null, checkpoint: Key | null | undefined): Key {
  if (checkpoint === undefined || checkpoint === null) return from ?? start;
  return from !== null && compareKeys(kind, from, checkpoint) > 0 ? from : checkpoint;
}
