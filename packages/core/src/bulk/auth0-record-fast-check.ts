/**
 * A hand-written check that a record matches Auth0's import schema, for the records a
 * bulk run sees almost always (profile fields, a hash, metadata objects). It only ever
 * answers "valid" when the schema would; anything else — an unknown field, a wrong type,
 * `mfa_factors` — goes to ajv, which stays the reference and words the error. The enums
 * and the email format are read from the schema and from ajv, not copied.
 * `test/bulk/auth0-record-fast-check.test.ts` compares the two on generated records.
 */
import type { ImportRecord } from '../contracts/profile';
import { AUTH0_USER_IMPORT_SCHEMA as SCHEMA } from './auth0-user-schema';

const CUSTOM = SCHEMA.properties.custom_password_hash.properties;
const ALGORITHMS: ReadonlySet<string> = new Set(CUSTOM.algorithm.enum);
const HASH_ENCODINGS: ReadonlySet<string> = new Set(CUSTOM.hash.properties.encoding.enum);
const DIGESTS: ReadonlySet<string> = new Set(CUSTOM.hash.properties.digest.enum);
const KEY_ENCODINGS: ReadonlySet<string> = new Set(CUSTOM.hash.properties.key.properties.encoding.enum);
const SALT_ENCODINGS: ReadonlySet<string> = new Set(CUSTOM.salt.properties.encoding.enum);
const SALT_POSITIONS: ReadonlySet<string> = new Set(CUSTOM.salt.properties.position.enum);
const PASSWORD_ENCODINGS: ReadonlySet<string> = new Set(CUSTOM.password.properties.encoding.enum);

// JSON Schema `type: object`: not null, not an array.
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `type: string` with an `enum`; absent (undefined) passes, as in ajv. */
function optionalOf(value: unknown, allowed: ReadonlySet<string>): boolean {
  return value === undefined || (typeof value === 'string' && allowed.has(value));
}

function optionalString(value: unknown): boolean {
  return value === undefined || typeof value === 'string';
}

function optionalInteger(value: unknown): boolean {
  return value === undefined || Number.isInteger(value);
}

function validCustomHash(value: unknown): boolean {
  if (!isObject(value) || value.algorithm === undefined || value.hash === undefined) return false;
  for (const key in value) {
    const item = value[key];
    switch (key) {
      case 'algorithm':
        if (!optionalOf(item, ALGORITHMS)) return false;
        break;
      case 'hash':
        if (item !== undefined) {
          if (!isObject(item) || !optionalString(item.value) || !optionalOf(item.encoding, HASH_ENCODINGS) || !optionalOf(item.digest, DIGESTS)) return false;
          const hmacKey = item.key;
          if (hmacKey !== undefined && (!isObject(hmacKey) || typeof hmacKey.value !== 'string' || !optionalOf(hmacKey.encoding, KEY_ENCODINGS))) return false;
        }
        break;
      case 'salt':
        if (item !== undefined && (!isObject(item) || typeof item.value !== 'string' || !optionalOf(item.encoding, SALT_ENCODINGS) || !optionalOf(item.position, SALT_POSITIONS))) return false;
        break;
      case 'password':
        if (item !== undefined && (!isObject(item) || !optionalOf(item.encoding, PASSWORD_ENCODINGS))) return false;
        break;
      case 'keylen':
      case 'cost':
      case 'blockSize':
      case 'parallelization':
        if (!optionalInteger(item)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/**
 * Returns `isEmail` for the ajv instance's email format, so both checks use one definition.
 * @param format - `ajv.formats.email` of the reference validator
 */
export function emailFormatOf(format: unknown): (value: string) => boolean {
  const check = isObject(format) && !(format instanceof RegExp) ? format.validate : format;
  if (check instanceof RegExp) return (value) => check.test(value);
  if (typeof check === 'function') return (value) => (check as (value: string) => boolean)(value) === true;
  // Unknown shape: never vouch for an email, so ajv decides every record.
  return () => false;
}

/**
 * True only if `record` matches the Auth0 import schema; false means "ask ajv" (the record
 * may still be valid, e.g. with `mfa_factors`).
 * @param isEmail - the email format of the reference ajv, from {@link emailFormatOf}
 */
export function fastSchemaValid(record: ImportRecord, isEmail: (value: string) => boolean): boolean {
  const fields = record as unknown as Record<string, unknown>;
  if (typeof fields.email !== 'string') return false;
  for (const key in fields) {
    const value = fields[key];
    if (value === undefined) {
      // ajv skips absent-valued known properties but still refuses unknown names.
      if (!Object.hasOwn(SCHEMA.properties, key)) return false;
      continue;
    }
    switch (key) {
      case 'email':
        if (!isEmail(value as string)) return false;
        break;
      case 'email_verified':
      case 'blocked':
        if (typeof value !== 'boolean') return false;
        break;
      case 'user_id':
      case 'username':
      case 'given_name':
      case 'family_name':
      case 'name':
      case 'nickname':
      case 'picture':
      case 'password_hash':
        if (typeof value !== 'string') return false;
        break;
      case 'custom_password_hash':
        if (!validCustomHash(value)) return false;
        break;
      case 'app_metadata':
      case 'user_metadata':
        if (!isObject(value)) return false;
        break;
      default:
        // mfa_factors and unknown fields: ajv's call.
        return false;
    }
  }
  return true;
}
