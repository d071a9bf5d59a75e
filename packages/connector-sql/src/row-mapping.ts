/**
 * Turning a result row into a profile: the configured columns, with the type quirks of
 * each driver smoothed over (0/1 and 't' booleans, JSON as text or as objects, bigint ids).
 */
import { ConfigError, type JsonObject, type UserProfile } from '@ferry/core';
import type { ColumnMapping } from './config-schema';
import type { SqlRow } from './drivers/sql-driver';

/** Profile fields by how their column is read, in the order a profile lists them. */
export const STRING_FIELDS = ['email', 'username', 'given_name', 'family_name', 'name', 'nickname', 'picture'] as const;
export const BOOLEAN_FIELDS = ['email_verified', 'blocked'] as const;
export const JSON_FIELDS = ['app_metadata', 'user_metadata'] as const;

/** A mapped row: the profile, and what could not be mapped (for logs and rejects). */
export interface MappedRow {
  profile: UserProfile;
  /** Problems with individual columns, e.g. `app_metadata is not a JSON object`. */
  problems: string[];
}

/** A column as text (numbers, bigints and buffers included); undefined for NULL. */
export function text(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return String(value);
}

/** A column as a boolean (0/1, 't', 'yes', BIT(1) …); undefined for NULL. */
export function bool(value: unknown): boolean | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return Number(value) !== 0;
  if (Buffer.isBuffer(value)) return value.some((b) => b !== 0); // MySQL BIT(1)
  return /^(1|t|true|y|yes)$/i.test(String(value).trim());
}

/** A JSON-object column (JSON text or an already parsed object); 'invalid' for anything else. */
export function json(value: unknown): JsonObject | undefined | 'invalid' {
  if (value === null || value === undefined || value === '') return undefined;
  let parsed: unknown = value;
  if (typeof value === 'string' || Buffer.isBuffer(value)) {
    try {
      parsed = JSON.parse(String(value));
    } catch {
      return 'invalid';
    }
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as JsonObject) : 'invalid';
}

/** Throws a ConfigError when a mapped column is absent from the query's result. */
export function checkColumns(mapping: ColumnMapping, row: SqlRow, key: string, extra: string[] = []): void {
  const wanted = [...Object.entries(mapping).map(([field, column]) => [`mapping.${field}`, column] as const), ...extra.map((c) => [c, c] as const)];
  for (const [where, column] of wanted) {
    if (column !== undefined && !(column in row)) {
      throw new ConfigError('mapping_column_missing', `${where} names column '${column}', but ${key} does not return it.`, {
        hint: `Columns ${key} returns: ${Object.keys(row).join(', ')}. Select the column or fix the mapping.`,
        details: { key, column },
      });
    }
  }
}

/** Map one row to a profile with the configured columns. */
export function mapRow(row: SqlRow, mapping: ColumnMapping): MappedRow {
  const problems: string[] = [];
  const profile: UserProfile = { user_id: text(row[mapping.user_id]) ?? '' };
  const out = profile as unknown as Record<string, unknown>;
  for (const field of STRING_FIELDS) {
    const column = mapping[field];
    const value = column === undefined ? undefined : text(row[column]);
    if (value !== undefined && value !== '') out[field] = value;
  }
  for (const field of BOOLEAN_FIELDS) {
    const column = mapping[field];
    const value = column === undefined ? undefined : bool(row[column]);
    if (value !== undefined) out[field] = value;
  }
  for (const field of JSON_FIELDS) {
    const column = mapping[field];
    const value = column === undefined ? undefined : json(row[column]);
    if (value === 'invalid') problems.push(`${field} (column ${column}) is not a JSON object; left out`);
    else if (value !== undefined) out[field] = value;
  }
  return { profile, problems };
}
