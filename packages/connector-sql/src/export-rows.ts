/**
 * Turning export rows into import records, or per-row rejects with a reason. A broken
 * row never aborts the run. Hashes Auth0 can verify travel as `password_hash` /
 * `custom_password_hash`; the rest as `ferry_password_hash`, verified by Ferry itself.
 *
 * The mapping is compiled once per result shape: column positions are looked up once,
 * each mapped field becomes one small step, and rows stay arrays — the per-row work is
 * reading values and building the record, nothing else.
 */
import { ConfigError, FerryError, toAuth0, type ExportReject, type ImportRecord } from '@ferry/core';
import type { DigestConfig, SqlConnectorConfig } from './config-schema';
import { BOOLEAN_FIELDS, JSON_FIELDS, STRING_FIELDS, bool, json, text } from './row-mapping';
import { hashOf, isReadyCustomHash } from './stored-hash';

// Auth0's limits: local part ≤ 64, whole address ≤ 254, one @, a dot in the domain.
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;

type Step = (values: readonly unknown[], record: Record<string, unknown>) => void;

/** One page's output. */
export interface ConvertedPage {
  records: ImportRecord[];
  rejects: ExportReject[];
}

/** The position of `column` in a result (the last one wins, as in an object row), or a ConfigError naming `where`. */
function positionOf(columns: readonly string[], column: string, where: string, queryKey: string): number {
  const at = columns.lastIndexOf(column);
  if (at < 0) {
    throw new ConfigError('mapping_column_missing', `${where} names column '${column}', but ${queryKey} does not return it.`, {
      hint: `Columns ${queryKey} returns: ${columns.join(', ')}. Select the column or fix the mapping.`,
      details: { key: queryKey, column },
    });
  }
  return at;
}

/**
 * Converts the rows of one export run. Duplicate emails across rows are left to the bulk
 * pipeline, which de-duplicates durably and in constant memory (a resumed run included).
 */
export class ExportRowConverter {
  /** Rows exported without any hash (NULL password), for the run's log line. */
  passwordless = 0;
  private readonly userIdAt: number;
  private readonly emailAt: number;
  private readonly passwordAt: number;
  private readonly saltAt: number;
  private readonly digest: DigestConfig | undefined;
  private readonly steps: Step[] = [];

  /** Compile the mapping for a result with `columns` (from query `queryKey`); `keyColumn` must be there too. */
  constructor(
    private readonly config: SqlConnectorConfig,
    columns: readonly string[],
    queryKey: string,
    keyColumn: string,
  ) {
    const { mapping, password } = config;
    const at = (field: string, column: string) => positionOf(columns, column, field, queryKey);
    this.userIdAt = at('mapping.user_id', mapping.user_id);
    this.emailAt = at('mapping.email', mapping.email);
    this.passwordAt = at('password.column', password.column);
    this.digest = password.digest;
    this.saltAt = password.digest?.saltColumn === undefined ? -1 : at('password.digest.saltColumn', password.digest.saltColumn);
    at('export.keyColumn', keyColumn);
    // Same fields, same order as mapRow (login/getByEmail), so both paths give equal profiles.
    for (const field of STRING_FIELDS) {
      const column = mapping[field];
      if (field === 'email' || column === undefined) continue;
      const i = at(`mapping.${field}`, column);
      this.steps.push((values, record) => {
        const value = text(values[i]);
        if (value !== undefined && value !== '') record[field] = value;
      });
    }
    for (const field of BOOLEAN_FIELDS) {
      const column = mapping[field];
      if (column === undefined) continue;
      const i = at(`mapping.${field}`, column);
      this.steps.push((values, record) => {
        const value = bool(values[i]);
        if (value !== undefined) record[field] = value;
      });
    }
    for (const field of JSON_FIELDS) {
      const column = mapping[field];
      if (column === undefined) continue;
      const i = at(`mapping.${field}`, column);
      // A column that is not a JSON object is left out (as for logins), never fatal.
      this.steps.push((values, record) => {
        const value = json(values[i]);
        if (value !== undefined && value !== 'invalid') record[field] = value;
      });
    }
  }

  /**
   * Convert a page of array rows; `keyAt` is the key column's position (the reject's row
   * ref). The rows are given up one by one as they are converted (`rows` ends empty), so a
   * page is not held twice, as rows and as records, while it is converted.
   */
  convertPage(rows: unknown[][], keyAt: number): ConvertedPage {
    const page: ConvertedPage = { records: [], rejects: [] };
    for (let i = 0; i < rows.length; i += 1) {
      this.convert(rows[i] as unknown[], keyAt, page);
      (rows as (unknown[] | undefined)[])[i] = undefined;
    }
    rows.length = 0;
    return page;
  }

  private convert(values: readonly unknown[], keyAt: number, page: ConvertedPage): void {
    const userId = text(values[this.userIdAt]) ?? '';
    const rawEmail = text(values[this.emailAt]);
    const email = rawEmail === '' ? undefined : rawEmail;
    let problem: [code: string, reason: string] | undefined;
    if (!userId) problem = ['missing_user_id', `The ${this.config.mapping.user_id} column is NULL.`];
    else if (!email) problem = ['missing_email', `The ${this.config.mapping.email} column is NULL or empty.`];
    else if (email.length > 254 || !EMAIL.test(email)) problem = ['invalid_email', 'The email is not a valid address.'];
    else {
      const record: Record<string, unknown> = { user_id: userId, email };
      for (const step of this.steps) step(values, record);
      problem = this.addHash(values, record);
      if (!problem) {
        page.records.push(record as unknown as ImportRecord);
        return;
      }
    }
    // The ref is built only for rejects: most rows never need it.
    const ref = { ...(userId ? { user_id: userId } : {}), ...(email ? { email } : {}), row: String(values[keyAt]) };
    page.rejects.push({ ref, code: problem[0], reason: problem[1] });
  }

  /** Put the row's hash on `record` in the form Auth0 (or else Ferry) verifies; the reject reason when it cannot. */
  private addHash(values: readonly unknown[], record: Record<string, unknown>): [code: string, reason: string] | undefined {
    const stored = hashOf(values[this.passwordAt], this.saltAt < 0 ? undefined : values[this.saltAt], this.digest);
    if (stored === null) {
      if (this.config.export.passwordless === 'reject') return ['password_missing', 'The password column is NULL.'];
      this.passwordless += 1;
      return undefined;
    }
    if (typeof stored !== 'string' && this.digest && isReadyCustomHash(stored, this.digest)) {
      // A declared hex digest, already checked exactly as the core's parser would: it is
      // Auth0's custom_password_hash as built, so skip re-parsing it.
      record.custom_password_hash = stored;
      return undefined;
    }
    try {
      const conversion = toAuth0(stored);
      if ('password_hash' in conversion) record.password_hash = conversion.password_hash;
      else if ('custom_password_hash' in conversion) record.custom_password_hash = conversion.custom_password_hash;
      else record.ferry_password_hash = stored;
      return undefined;
    } catch (err) {
      // hash_unsupported / hash_malformed: Ferry's messages name the scheme, never the hash.
      if (err instanceof FerryError) return [err.code, err.message];
      throw err;
    }
  }
}
