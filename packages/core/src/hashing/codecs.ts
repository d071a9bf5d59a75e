/**
 * Strict text codecs. Every decoder answers `undefined` for anything the reference
 * implementations would refuse — wrong alphabet, bad padding, stray trailing bits — so
 * a parser can report `hash_malformed` instead of silently accepting a mangled hash.
 */

/** Padding policy for base64 decoding. */
export type Base64Padding = 'required' | 'forbidden' | 'optional';

/** Character code → 6-bit value (or -1) for the standard and URL-safe alphabets. */
function alphabetTable(alphabet: string): Int8Array {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
}
const STD_VALUES = alphabetTable('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');
const URL_VALUES = alphabetTable('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_');

/**
 * Decodes standard (or URL-safe) base64, accepting only the canonical encoding of the
 * bytes it yields: the alphabet only, `=` only as the exact padding (per `padding`), never
 * a length of 4k+1, and zero bits past the last whole byte — so re-encoding the result
 * gives back the input. One pass over the text, decoding as it checks (this runs on every
 * verification, so it avoids regexes and a re-encode).
 */
export function decodeBase64(text: string, padding: Base64Padding = 'required', urlSafe = false): Buffer | undefined {
  const out = Buffer.allocUnsafe(base64Capacity(text));
  const length = decodeBase64Into(text, padding, urlSafe, out, 0);
  // allocUnsafe is safe: a valid text fills `out` exactly, an invalid one is dropped.
  return length < 0 ? undefined : out;
}

/** The number of bytes a canonical base64 `text` decodes to (its padding stripped). */
export function base64Capacity(text: string): number {
  let end = text.length;
  if (end > 0 && text.charCodeAt(end - 1) === 0x3d) end--;
  if (end > 0 && text.charCodeAt(end - 1) === 0x3d) end--;
  return (end * 3) >> 2;
}

/**
 * {@link decodeBase64} into `out` from `at`, with the same strictness: the number of bytes
 * written, or -1 for a text `decodeBase64` refuses (or one that does not fit). Lets a
 * verification decode straight into memory it reuses instead of a fresh Buffer.
 */
export function decodeBase64Into(text: string, padding: Base64Padding, urlSafe: boolean, out: Uint8Array, at: number): number {
  const table = urlSafe ? URL_VALUES : STD_VALUES;
  let end = text.length;
  if (end > 0 && text.charCodeAt(end - 1) === 0x3d) end--;
  if (end > 0 && text.charCodeAt(end - 1) === 0x3d) end--;
  const pads = text.length - end;
  const tail = end % 4;
  if (tail === 1) return -1;
  if (pads > 0 ? padding === 'forbidden' || pads !== 4 - tail : padding === 'required' && tail !== 0) return -1;
  if (at + ((end * 3) >> 2) > out.length) return -1;
  const whole = end - tail;
  let o = at;
  // Codes past the 128-entry table fail first; then a negative value (not in the alphabet) fails the group.
  for (let i = 0; i < whole; i += 4) {
    const a = text.charCodeAt(i);
    const b = text.charCodeAt(i + 1);
    const c = text.charCodeAt(i + 2);
    const d = text.charCodeAt(i + 3);
    if ((a | b | c | d) >= 128) return -1;
    const c0 = table[a] as number;
    const c1 = table[b] as number;
    const c2 = table[c] as number;
    const c3 = table[d] as number;
    if ((c0 | c1 | c2 | c3) < 0) return -1;
    out[o++] = (c0 << 2) | (c1 >> 4);
    out[o++] = ((c1 & 15) << 4) | (c2 >> 2);
    out[o++] = ((c2 & 3) << 6) | c3;
  }
  if (tail === 0) return o - at;
  const c0 = table[text.charCodeAt(whole)] ?? -1;
  const c1 = table[text.charCodeAt(whole + 1)] ?? -1;
  const c2 = tail === 3 ? (table[text.charCodeAt(whole + 2)] ?? -1) : 0;
  // Stray bits after the last whole byte make a non-canonical encoding.
  if ((c0 | c1 | c2) < 0 || (tail === 2 ? c1 & 15 : c2 & 3) !== 0) return -1;
  out[o++] = (c0 << 2) | (c1 >> 4);
  if (tail === 3) out[o++] = ((c1 & 15) << 4) | (c2 >> 2);
  return o - at;
}

/**
 * Buffer#write(text, at) (UTF-8) for the short strings of a verification: ASCII by a loop,
 * cheaper than the native call for a password or a salt; from the first other character
 * on, Buffer#write itself. `out` must have room for 3 bytes per character. Answers the
 * number of bytes written.
 */
export function writeUtf8(text: string, out: Buffer, at: number): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // Everything before i is ASCII, so slicing there never splits a surrogate pair.
    if (code >= 0x80) return i + out.write(text.slice(i), at + i);
    out[at + i] = code;
  }
  return text.length;
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

const HEX_VALUES = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < 16; i++) {
    table['0123456789abcdef'.charCodeAt(i)] = i;
    table['0123456789ABCDEF'.charCodeAt(i)] = i;
  }
  return table;
})();

/** Hex in either case, even length (one checking-and-decoding pass, no regex). */
export function decodeHex(text: string): Buffer | undefined {
  const out = Buffer.allocUnsafe(text.length >> 1);
  return decodeHexInto(text, out, 0) < 0 ? undefined : out;
}

/** {@link decodeHex} into `out` from `at`: the number of bytes written, or -1 for a text it refuses (or one that does not fit). */
export function decodeHexInto(text: string, out: Uint8Array, at: number): number {
  if (text.length % 2 !== 0 || at + (text.length >> 1) > out.length) return -1;
  for (let i = 0, o = at; i < text.length; i += 2, o++) {
    const hi = text.charCodeAt(i);
    const lo = text.charCodeAt(i + 1);
    if ((hi | lo) >= 128) return -1;
    const h = HEX_VALUES[hi] as number;
    const l = HEX_VALUES[lo] as number;
    if ((h | l) < 0) return -1;
    out[o] = (h << 4) | l;
  }
  return text.length >> 1;
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
