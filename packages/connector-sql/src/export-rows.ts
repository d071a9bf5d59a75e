/**
 * Turning export rows into import records, or per-row rejects with a reason. A broken
 * row never aborts the run. Hashes Auth0 can verify travel as `password_hash` /
 * `custom_password_hash`; the rest as `ferry_password_hash`, verified by Ferry itself.
 */
import { FerryError, toAuth0, type ExportReject, type ImportRecord } from '@ferry/core';
import type { SqlConnectorConfig } from './config-schema';
import type { SqlRow } from './drivers/sql-driver';
import { mapRow } from './row-mapping';
import { storedHash } from './stored-hash';

// Auth0's limits: local part ≤ 64, whole address ≤ 254, one @, a dot in the domain.
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;

/**
 * Converts the rows of one export run. Duplicate emails across rows are left to the bulk
 * pipeline, which de-duplicates durably and in constant memory (a resumed run included).
 */
export class ExportRowConverter {
  /** Rows exported without any hash (NULL password), for the run's log line. */
  passwordless = 0;

  constructor(private readonly config: SqlConnectorConfig) {}

  /** The import record for `row`, or the reason it cannot be exported. */
  convert(row: SqlRow, rowKey: string): ImportRecord | ExportReject {
    const { profile } = mapRow(row, this.config.mapping);
    const ref = { ...(profile.user_id ? { user_id: profile.user_id } : {}), ...(profile.email ? { email: profile.email } : {}), row: rowKey };
    if (!profile.user_id) return { ref, code: 'missing_user_id', reason: `The ${this.config.mapping.user_id} column is NULL.` };
    if (!profile.email) return { ref, code: 'missing_email', reason: `The ${this.config.mapping.email} column is NULL or empty.` };
    if (profile.email.length > 254 || !EMAIL.test(profile.email)) return { ref, code: 'invalid_email', reason: 'The email is not a valid address.' };
    const stored = storedHash(row, this.config.password);
    const record: ImportRecord = { ...profile };
    if (stored === null) {
      if (this.config.export.passwordless === 'reject') return { ref, code: 'password_missing', reason: 'The password column is NULL.' };
      this.passwordless += 1;
    } else {
      try {
        const conversion = toAuth0(stored);
        if ('password_hash' in conversion) record.password_hash = conversion.password_hash;
        else if ('custom_password_hash' in conversion) record.custom_password_hash = conversion.custom_password_hash;
        else record.ferry_password_hash = stored;
      } catch (err) {
        // hash_unsupported / hash_malformed: Ferry's messages name the scheme, never the hash.
        if (err instanceof FerryError) return { ref, code: err.code, reason: err.message };
        throw err;
      }
    }
    return record;
  }
}

/** True when `value` is a reject rather than a record. */
export function isReject(value: ImportRecord | ExportReject): value is ExportReject {
  return 'code' in value && 'reason' in value && 'ref' in value;
}
