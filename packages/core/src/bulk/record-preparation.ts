/**
 * The per-record steps between a source and a sink: normalise the profile the way the
 * engine does for logins, require what Auth0 requires, separate a hash Auth0 can't take,
 * and check Auth0's rules. Each record comes out accepted or with a report entry.
 */
import type { ImportRecord } from '../contracts/profile';
import { FerryError } from '../errors';
import { normaliseLegacyProfile } from '../engine/profile-rules';
import { checkAuth0Record } from './auth0-record-rules';
import { refOf, type ReportEntry } from './bulk-types';

/** Fields the profile checks leave out; they are put back after them. */
const HASH_FIELDS: ReadonlySet<string> = new Set(['password_hash', 'custom_password_hash', 'ferry_password_hash']);

/** How records are shaped for the sink. */
export interface PreparationOptions {
  /** The source's id, named in errors about its profiles. */
  sourceId: string;
  /**
   * Keep `ferry_password_hash` (Ferry's store and NDJSON files can use it). When false
   * (Auth0 import files) the record is written without it and a warning names the scheme.
   */
  keepFerryHash: boolean;
}

/** Records that may go on, and what happened to the others. */
export interface PreparedBatch {
  accepted: ImportRecord[];
  /** Rejected records and caveats of accepted ones (`warning`). */
  entries: ReportEntry[];
}

/** Prepare one batch of records. Never throws for a bad record; it is rejected with a reason. */
export function prepareRecords(records: readonly ImportRecord[], options: PreparationOptions): PreparedBatch {
  const out: PreparedBatch = { accepted: [], entries: [] };
  for (const raw of records) {
    const record = prepareRecord(raw, options, out.entries);
    if (record !== undefined) out.accepted.push(record);
  }
  return out;
}

/**
 * Prepare one record: the record to write, or undefined when it is rejected. Its report
 * entries (the reject, or caveats of an accepted record) are pushed onto `entries`.
 */
export function prepareRecord(raw: ImportRecord, options: PreparationOptions, entries: ReportEntry[]): ImportRecord | undefined {
  const { password_hash, custom_password_hash, ferry_password_hash } = raw;
  let record: ImportRecord;
  try {
    record = normaliseLegacyProfile(raw, options.sourceId, HASH_FIELDS);
  } catch (err) {
    if (!(err instanceof FerryError)) throw err;
    entries.push({ outcome: 'rejected', code: err.code, reason: err.message, ...refOf(raw) });
    return undefined;
  }
  if (record.email === undefined) {
    entries.push({ outcome: 'rejected', code: 'missing_email', reason: 'The user has no email; Auth0 import records require one.', ...refOf(record) });
    return undefined;
  }
  if (password_hash !== undefined) record.password_hash = password_hash;
  if (custom_password_hash !== undefined) record.custom_password_hash = custom_password_hash;
  const problem = checkAuth0Record(record);
  if (problem !== null) {
    entries.push({ outcome: 'rejected', ...problem, ...refOf(record) });
    return undefined;
  }
  if (ferry_password_hash !== undefined) {
    if (options.keepFerryHash) record.ferry_password_hash = ferry_password_hash;
    else if (password_hash === undefined && custom_password_hash === undefined) {
      entries.push({
        outcome: 'warning',
        code: 'hash_not_importable',
        reason: 'Auth0 cannot verify this hash scheme: the user is written without a password (they migrate by trickle login, or reset).',
        ...refOf(record),
      });
    }
  }
  return record;
}
