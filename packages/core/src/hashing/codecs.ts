/**
 * Strict text codecs. Every decoder answers `undefined` for anything the reference
 * implementations would refuse — wrong alphabet, bad padding, stray trailing bits — so
 * a parser can report `hash_malformed` instead of silently accepting a mangled hash.
 */

/** Padding policy for base64 decoding. */
export type Base64Padding = 'required' | 'forbidden' | 'optional';

const STD_CHARS = /^[A-Za-z0-9+/]*={0,2}$/;
const URL_CHARS = /^[A-Za-z0-9_-]*={0,2}$/;

/**
 * Decodes standard (or URL-safe) base64, accepting only the canonical encoding of the
 * bytes it yields: re-encoding must give back the input (modulo the padding policy).
 */
export function decodeBase64(text: string, padding: Base64Padding = 'required', urlSafe = false): Buffer | undefined {
  if (!(urlSafe ? URL_CHARS : STD_CHARS).test(text)) return undefined;
  const unpadded = text.replace(/=+$/, '');
  const hasPadding = unpadded.length !== text.length;
  if (padding === 'forbidden' && hasPadding) return undefined;
  if (unpadded.length % 4 === 1) return undefined;
  const bytes = Buffer.from(unpadded, urlSafe ? 'base64url' : 'base64');
  const canonical = bytes.toString(urlSafe ? 'base64url' : 'base64').replace(/=+$/, '');
  if (canonical !== unpadded) return undefined;
  const padded = canonical + '='.repeat((4 - (canonical.length % 4)) % 4);
  if (padding === 'required' && text !== padded) return undefined;
  if (padding === 'optional' && hasPadding && text !== padded) return undefined;
  return bytes;
}

/** Standard base64 with padding. */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

/** Standard base64 without padding (PHC strings). */
export function encodeBase64NoPad(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64').replace(/=+$/, '');
}

/** passlib's "adapted base64": `.` instead of `+`, no padding. */
export function decodeAb64(text: string): Buffer | undefined {
  if (text.includes('+')) return undefined;
  return decodeBase64(text.replace(/\./g, '+'), 'forbidden');
}

/** Hex in either case, even length. */
export function decodeHex(text: string): Buffer | undefined {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return undefined;
  return Buffer.from(text, 'hex');
}

/** crypt(3)'s alphabet, used by md5-crypt, sha-crypt, phpass and Drupal. */
export const CRYPT_ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * crypt(3)-style little-endian "hash64": each 3-byte group, least significant 6 bits
 * first; a short tail gives 2 or 3 characters. `order` transposes the input first (the
 * md5-crypt and sha-crypt layouts); phpass and Drupal use natural order.
 */
export function encodeHash64(bytes: Uint8Array, order?: readonly number[]): string {
  const src = order === undefined ? bytes : order.map((i) => bytes[i] ?? 0);
  const count = order === undefined ? bytes.length : order.length;
  let out = '';
  for (let i = 0; i < count; i += 3) {
    const b0 = src[i] ?? 0;
    const b1 = i + 1 < count ? (src[i + 1] ?? 0) : 0;
    const b2 = i + 2 < count ? (src[i + 2] ?? 0) : 0;
    const value = b0 | (b1 << 8) | (b2 << 16);
    const chars = i + 2 < count ? 4 : i + 1 < count ? 3 : 2;
    for (let c = 0; c < chars; c++) out += CRYPT_ALPHABET[(value >> (6 * c)) & 0x3f];
  }
  return out;
}

/** True when every character of `text` is in the crypt(3) alphabet. */
export function isCryptText(text: string): boolean {
  return /^[./0-9A-Za-z]*$/.test(text);
}

const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const STD_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * bcrypt's base64 (standard bit order, its own alphabet, no padding). Answers undefined
 * for a foreign character or set padding bits, as OpenBSD's re-encoding check implies.
 */
export function decodeBcryptBase64(text: string, byteLength: number): Buffer | undefined {
  let std = '';
  for (const ch of text) {
    const idx = BCRYPT_ALPHABET.indexOf(ch);
    if (idx < 0) return undefined;
    std += STD_ALPHABET[idx];
  }
  const bytes = decodeBase64(std, 'forbidden');
  return bytes !== undefined && bytes.length === byteLength ? bytes : undefined;
}

/** Parses a decimal without sign, leading zeros or exponent (`0` itself is fine). */
export function parseDecimal(text: string): number | undefined {
  if (!/^(0|[1-9][0-9]{0,15})$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}
