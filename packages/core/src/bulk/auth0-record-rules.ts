/**
 * Is this record importable by Auth0? The import schema plus the documented rules a
 * schema cannot express (reserved app_metadata keys, metadata key characters, field
 * lengths, one kind of password hash). A record that fails is rejected with the first
 * problem found, never sent: Auth0 would fail it anyway, later and less clearly.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { ImportRecord, JsonValue } from '../contracts/profile';
import { emailFormatOf, fastSchemaValid } from './auth0-record-fast-check';
import { AUTH0_USER_IMPORT_SCHEMA } from './auth0-user-schema';

/** Why a record can't be imported. Codes are stable; reasons never quote a hash. */
export interface RecordProblem {
  code: string;
  reason: string;
}

/** Keys Auth0 refuses in `app_metadata`. */
export const RESERVED_APP_METADATA_KEYS: ReadonlySet<string> = new Set([
  '__tenant',
  '_id',
  'blocked',
  'clientID',
  'created_at',
  'email_verified',
  'email',
  'globalClientID',
  'global_client_id',
  'identities',
  'lastIP',
  'lastLogin',
  'loginsCount',
  'metadata',
  'multifactor_last_modified',
  'multifactor',
  'updated_at',
  'user_id',
]);

const LENGTHS: ReadonlyArray<[keyof ImportRecord, number, number]> = [
  ['given_name', 1, 150],
  ['family_name', 1, 150],
  ['name', 1, 150],
  ['nickname', 1, 350],
  ['username', 1, 128],
];

// Auth0's own password_hash field takes bcrypt $2a$/$2b$ at cost 10 only.
const AUTH0_BCRYPT = /^\$2[ab]\$10\$[./A-Za-z0-9]{53}$/;

// A dedicated ajv: the config one applies defaults, which would change the records.
const recordAjv = new Ajv({ allErrors: false, strict: false });
addFormats(recordAjv);
// Compiled on first use: only records the fast check refuses need ajv's verdict (and its
// message), and compiling costs every command that loads the core ~20 ms.
let validateSchema: ValidateFunction | undefined;
const schemaValidator = (): ValidateFunction => (validateSchema ??= recordAjv.compile(AUTH0_USER_IMPORT_SCHEMA));
const isEmail = emailFormatOf(recordAjv.formats.email);

function schemaReason(error: ErrorObject | undefined): string {
  if (error === undefined) return 'The record does not match the Auth0 import schema.';
  const path = error.instancePath.split('/').slice(1).join('.') || 'record';
  if (error.keyword === 'additionalProperties') {
    return `${path} has a field Auth0 does not accept: '${(error.params as { additionalProperty: string }).additionalProperty}'.`;
  }
  if (error.keyword === 'required') return `${path} lacks the required '${(error.params as { missingProperty: string }).missingProperty}'.`;
  return `${path} ${error.message ?? 'is invalid'}.`;
}

/**
 * The path of the first metadata key holding '.' or '$', or undefined. Runs for every
 * record, so paths are built only on the way out of a failure.
 */
function badMetadataKey(value: JsonValue | undefined, path: string): string | undefined {
  const found = badKeySuffix(value);
  return found === undefined ? undefined : `${path}${found}`;
}

function badKeySuffix(value: JsonValue | undefined): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = badKeySuffix(value[i]);
      if (found !== undefined) return `[${i}]${found}`;
    }
    return undefined;
  }
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i] as string;
    if (key.includes('.') || key.includes('$')) return `.${key}`;
    const found = badKeySuffix(value[key]);
    if (found !== undefined) return `.${key}${found}`;
  }
  return undefined;
}

/** The first reason Auth0 would refuse `record` (which must not hold `ferry_password_hash`), or null. */
export function checkAuth0Record(record: ImportRecord): RecordProblem | null {
  if (record.password_hash !== undefined && record.custom_password_hash !== undefined) {
    return { code: 'password_hash_conflict', reason: 'The record has both password_hash and custom_password_hash; Auth0 takes one.' };
  }
  if (record.password_hash !== undefined && !AUTH0_BCRYPT.test(record.password_hash)) {
    return { code: 'password_hash_invalid', reason: "password_hash must be bcrypt '$2a$'/'$2b$' with cost 10; use custom_password_hash for others." };
  }
  // The hand-written check vouches for the usual records; ajv decides (and words) the rest.
  if (!fastSchemaValid(record, isEmail)) {
    const validate = schemaValidator();
    if (!validate(record)) return { code: 'schema_invalid', reason: schemaReason(validate.errors?.[0]) };
  }
  const email = record.email ?? '';
  const at = email.lastIndexOf('@');
  if (email.length > 254 || at > 64) return { code: 'email_too_long', reason: 'The email is longer than Auth0 allows (local part 64, whole address 254).' };
  for (let i = 0; i < LENGTHS.length; i += 1) {
    const spec = LENGTHS[i] as [keyof ImportRecord, number, number];
    const field = spec[0];
    const min = spec[1];
    const max = spec[2];
    const value = record[field];
    if (typeof value === 'string' && (value.length < min || value.length > max)) {
      return { code: 'field_length', reason: `${field} must be ${min}–${max} characters (it has ${value.length}).` };
    }
  }
  for (const key in record.app_metadata) {
    if (Object.hasOwn(record.app_metadata, key) && RESERVED_APP_METADATA_KEYS.has(key)) {
      return { code: 'app_metadata_reserved_key', reason: `app_metadata.${key} is reserved by Auth0; move it to another key.` };
    }
  }
  for (const field of ['app_metadata', 'user_metadata'] as const) {
    const bad = badMetadataKey(record[field], field);
    if (bad !== undefined) return { code: 'metadata_key_invalid', reason: `${bad}: metadata keys may not contain '.' or '$'.` };
  }
  return null;
}
