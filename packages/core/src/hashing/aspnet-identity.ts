/**
 * ASP.NET Identity `PasswordHasher` blobs (bare base64). v2: 0x00 ‖ 16-byte salt ‖ 32-byte
 * subkey, PBKDF2-HMAC-SHA1 with 1,000 rounds. v3: 0x01 ‖ PRF (u32 BE: 0 SHA-1, 1 SHA-256,
 * 2 SHA-512) ‖ iterations (u32 BE) ‖ salt length (u32 BE) ‖ salt ‖ subkey, with the
 * minimum sizes the reference `VerifyHashedPasswordV3` enforces.
 */
import type { HashCostLimits } from '../contracts/password-hash';
import { decodeBase64 } from './codecs';
import type { DigestName } from './digest';
import { malformed } from './errors';
import { makePbkdf2, type Pbkdf2Hash } from './pbkdf2';
import type { StringHashFamily } from './parsed-hash';

const PRFS: readonly DigestName[] = ['sha1', 'sha256', 'sha512'];
const MIN_BYTES = 16;

/** Decodes and checks the blob layout; undefined when it is not an Identity hash at all. */
function layout(hash: string): { version: 2 | 3; blob: Buffer } | undefined {
  if (hash.length < 60 || hash.length > 1024) return undefined;
  const blob = decodeBase64(hash, 'required');
  if (!blob) return undefined;
  if (blob[0] === 0x00 && blob.length === 49) return { version: 2, blob };
  if (blob[0] === 0x01 && blob.length >= 13 + MIN_BYTES * 2) {
    const prf = blob.readUInt32BE(1);
    const saltLength = blob.readUInt32BE(9);
    if (prf < PRFS.length && saltLength >= MIN_BYTES && blob.length - 13 - saltLength >= MIN_BYTES) return { version: 3, blob };
  }
  return undefined;
}

function parse(hash: string, limits: HashCostLimits): Pbkdf2Hash {
  const found = layout(hash);
  if (!found) throw malformed('aspnet-identity', 'the base64 blob does not have the v2 or v3 layout');
  const { version, blob } = found;
  if (version === 2) return makePbkdf2('aspnet-identity-v2', 'sha1', 1000, blob.subarray(1, 17), blob.subarray(17), limits);
  const digest = PRFS[blob.readUInt32BE(1)] ?? 'sha1';
  const iterations = blob.readUInt32BE(5);
  const saltLength = blob.readUInt32BE(9);
  return makePbkdf2('aspnet-identity-v3', digest, iterations, blob.subarray(13, 13 + saltLength), blob.subarray(13 + saltLength), limits);
}

/**
 * Claims only base64 strings whose decoded bytes have the exact Identity layout, so a
 * bare base64 digest is never mistaken for one.
 */
export const aspnetIdentityFamily: StringHashFamily = {
  claims: (hash) => layout(hash) !== undefined,
  parse,
};
