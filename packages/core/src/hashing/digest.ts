/**
 * Digest, HMAC, PBKDF2 and scrypt behind one small surface, so families never reach for
 * node:crypto names directly and MD4 works even where OpenSSL 3 dropped it.
 */
import { createHmac, getHashes, hash as oneShot, pbkdf2, scrypt } from 'node:crypto';
import { constantTimeEqual } from './compare';
import { md4 } from './md4';
import { unsupported } from './errors';

/** Digest names Ferry accepts (Auth0's list plus what legacy formats use). */
export type DigestName = 'md4' | 'md5' | 'ripemd160' | 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512' | 'whirlpool';

/** Output sizes in bytes, used to check stored hash lengths. */
export const DIGEST_SIZES: Readonly<Record<DigestName, number>> = {
  md4: 16,
  md5: 16,
  ripemd160: 20,
  sha1: 20,
  sha224: 28,
  sha256: 32,
  sha384: 48,
  sha512: 64,
  whirlpool: 64,
};

const available = new Set(getHashes().map((name) => name.toLowerCase()));

/** True for a name in {@link DIGEST_SIZES}. */
export function isDigestName(name: string): name is DigestName {
  return Object.prototype.hasOwnProperty.call(DIGEST_SIZES, name);
}

function requireOpenSsl(name: DigestName): void {
  if (!available.has(name)) {
    throw unsupported(`${name} is not available in this Node.js build's OpenSSL`, 'Run Ferry on a Node.js build whose OpenSSL provides this digest, or let these users migrate by trickle login.');
  }
}

/** One-shot digest of the concatenated parts. */
export function digest(name: DigestName, ...parts: Uint8Array[]): Buffer {
  return digestOf(name, parts.length === 1 && parts[0] ? parts[0] : Buffer.concat(parts));
}

/** One-shot digest of one buffer (the hot path: no rest array, no concat). */
export function digestOf(name: DigestName, data: Uint8Array): Buffer {
  if (name === 'md4') return md4(data);
  requireOpenSsl(name);
  // crypto.hash (one-shot) is markedly cheaper than a Hash object for short inputs.
  return oneShot(name, data, 'buffer');
}

/** One digest's worth of memory per digest name: views of a single allocation, made once. */
export function digestScratch(): Readonly<Record<DigestName, Buffer>> {
  const names = Object.keys(DIGEST_SIZES) as DigestName[];
  const memory = Buffer.alloc(names.reduce((sum, name) => sum + DIGEST_SIZES[name], 0));
  let at = 0;
  return Object.fromEntries(names.map((name) => [name, memory.subarray(at, (at += DIGEST_SIZES[name]))])) as Record<DigestName, Buffer>;
}

const COMPUTED = digestScratch();

/**
 * True when `name` applied `times` times to `data` (a string digests as UTF-8) gives
 * `expected`, compared in constant time. crypto.hash is asked for a 'binary' (latin1: one
 * character per byte) string, not a Buffer: on Node 20 a Buffer result costs more than the
 * digest of a short input (~0.6 µs of ~1 µs). The characters are copied into this
 * module's scratch for timingSafeEqual; the call is synchronous, so nothing else uses the
 * scratch meanwhile.
 */
export function digestMatches(name: DigestName, data: Uint8Array | string, expected: Uint8Array, times = 1): boolean {
  if (name === 'md4') {
    let h = md4(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    for (let i = 1; i < times; i++) h = md4(h);
    return constantTimeEqual(h, expected);
  }
  requireOpenSsl(name);
  const out = COMPUTED[name];
  putBinary(oneShot(name, data, 'binary'), out);
  for (let i = 1; i < times; i++) putBinary(oneShot(name, out, 'binary'), out);
  return constantTimeEqual(out, expected);
}

/** Writes a 'binary' string's bytes (a loop: cheaper than Buffer#write for a digest's few bytes). */
function putBinary(text: string, out: Buffer): void {
  for (let i = 0; i < out.length; i++) out[i] = text.charCodeAt(i);
}

/** HMAC (RFC 2104); built by hand for MD4, which OpenSSL 3 lacks. */
export function hmac(name: DigestName, key: Uint8Array, data: Uint8Array): Buffer {
  if (name !== 'md4') {
    requireOpenSsl(name);
    return createHmac(name, key).update(data).digest();
  }
  const block = 64;
  const k = Buffer.alloc(block);
  (key.length > block ? md4(key) : Buffer.from(key)).copy(k);
  const inner = Buffer.alloc(block);
  const outer = Buffer.alloc(block);
  for (let i = 0; i < block; i++) {
    inner[i] = (k[i] ?? 0) ^ 0x36;
    outer[i] = (k[i] ?? 0) ^ 0x5c;
  }
  return md4(Buffer.concat([outer, md4(Buffer.concat([inner, data]))]));
}

/** PBKDF2-HMAC on the libuv thread pool. */
export function pbkdf2Async(password: Uint8Array, salt: Uint8Array, iterations: number, keyLength: number, name: DigestName): Promise<Buffer> {
  if (name === 'md4') throw unsupported('PBKDF2 with MD4');
  requireOpenSsl(name);
  return new Promise((resolve, reject) => {
    pbkdf2(password, salt, iterations, keyLength, name, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** Parameters of one scrypt computation. */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
  keyLength: number;
}

/** scrypt on the libuv thread pool; the memory cap is set just above what the params need. */
export function scryptAsync(password: Uint8Array, salt: Uint8Array, params: ScryptParams): Promise<Buffer> {
  const needed = 128 * params.N * params.r * (params.p + 2);
  return new Promise((resolve, reject) => {
    scrypt(password, salt, params.keyLength, { N: params.N, r: params.r, p: params.p, maxmem: needed + 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}
