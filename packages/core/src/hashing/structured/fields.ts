/**
 * Safe readers for structured-hash JSON: every accessor names the field it refuses, so a
 * bad import row says "salt.encoding must be …" instead of crashing deep in a parser.
 */
import type { JsonObject, JsonValue } from '../../contracts/profile';
import { base64Capacity, decodeBase64, decodeBase64Into, decodeHex, decodeHexInto, writeUtf8 } from '../codecs';
import { malformed } from '../errors';

/** A JSON object or undefined. */
export function objectField(obj: JsonObject, key: string, scheme: string): JsonObject | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw malformed(scheme, `${key} must be an object`);
  return value;
}

/** A string or undefined. */
export function stringField(obj: JsonObject, key: string, scheme: string): string | undefined {
  const value: JsonValue | undefined = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw malformed(scheme, `${key} must be a string`);
  return value;
}

/** A required string. */
export function requiredString(obj: JsonObject, key: string, scheme: string): string {
  const value = stringField(obj, key, scheme);
  if (value === undefined) throw malformed(scheme, `${key} is required`);
  return value;
}

/** A non-negative safe integer or undefined (numeric strings are accepted, as exports often hold them). */
export function integerField(obj: JsonObject, key: string, scheme: string): number | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' && /^[0-9]{1,15}$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw malformed(scheme, `${key} must be a non-negative integer`);
  return n;
}

/** One of a fixed set of strings, or the default. */
export function enumField<T extends string>(obj: JsonObject, key: string, allowed: readonly T[], fallback: T, scheme: string): T {
  const value = stringField(obj, key, scheme);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw malformed(scheme, `${key} must be one of ${allowed.join(', ')}`);
  return value as T;
}

/** A text encoding a structured hash may declare for a value. */
export type TextEncoding = 'hex' | 'base64' | 'utf8';

/** Decodes `value` as hex, (canonical) base64 or UTF-8 text. */
export function decodeText(value: string, encoding: TextEncoding, scheme: string, what: string): Buffer {
  const bytes = encoding === 'utf8' ? Buffer.from(value, 'utf8') : encoding === 'hex' ? decodeHex(value) : decodeBase64(value, 'optional');
  if (!bytes) throw malformed(scheme, `${what} is not valid ${encoding}`);
  return bytes;
}

/** The most bytes {@link decodeTextInto} can write for `value`. */
export function textCapacity(value: string, encoding: TextEncoding): number {
  return encoding === 'utf8' ? value.length * 3 : encoding === 'hex' ? value.length >> 1 : base64Capacity(value);
}

/**
 * {@link decodeText} into `out` at `at` (which has {@link textCapacity} bytes free), with
 * the same checks and errors: the number of bytes written.
 */
export function decodeTextInto(value: string, encoding: TextEncoding, scheme: string, what: string, out: Buffer, at: number): number {
  const length = encoding === 'utf8' ? writeUtf8(value, out, at) : encoding === 'hex' ? decodeHexInto(value, out, at) : decodeBase64Into(value, 'optional', false, out, at);
  if (length < 0) throw malformed(scheme, `${what} is not valid ${encoding}`);
  return length;
}
