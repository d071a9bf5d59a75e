/**
 * Gigya (SAP Customer Data Cloud) password objects: `{hash, hashSettings: {algorithm,
 * rounds, salt, format?}}`, hash and salt base64. PBKDF2 variants, bcrypt and md5_crypt
 * are verified; single-round salted digests use `format` (`$salt` / `$password` tokens,
 * default `$salt$password`); the other Gigya algorithms are refused with a hint.
 */
import type { HashCostLimits } from '../../contracts/password-hash';
import type { JsonObject } from '../../contracts/profile';
import type { DigestName } from '../digest';
import { malformed, unsupported } from '../errors';
import { md5CryptFamily } from '../md5-crypt';
import { bcryptFamily } from '../bcrypt';
import type { ParsedHash } from '../parsed-hash';
import { makePbkdf2 } from '../pbkdf2';
import { SaltedDigestHash } from '../salted-digest';
import { decodeText, integerField, objectField, requiredString, stringField } from './fields';

const PBKDF2: Readonly<Record<string, { digest: DigestName; size: number }>> = {
  pbkdf2: { digest: 'sha1', size: 20 },
  pbkdf2_sha256: { digest: 'sha256', size: 32 },
  pbkdf2_sha512: { digest: 'sha512', size: 64 },
};
const DIGESTS: Readonly<Record<string, DigestName>> = { md5: 'md5', sha1: 'sha1', sha256: 'sha256', sha512: 'sha512' };

/** Parses a Gigya password object (the `algorithm: "gigya"` wrapper is optional). */
export function parseGigya(obj: JsonObject, limits: HashCostLimits): ParsedHash {
  const settings = objectField(obj, 'hashSettings', 'gigya');
  if (!settings) throw malformed('gigya', 'hashSettings is required');
  const algorithm = requiredString(settings, 'algorithm', 'gigya').toLowerCase();
  const scheme = `gigya-${algorithm}`;
  const hash = requiredString(obj, 'hash', scheme);
  const saltText = stringField(settings, 'salt', scheme);
  const salt = saltText === undefined ? Buffer.alloc(0) : decodeText(saltText, 'base64', scheme, 'hashSettings.salt');
  const rounds = integerField(settings, 'rounds', scheme);
  const pbkdf2 = PBKDF2[algorithm];
  if (pbkdf2) {
    const expected = decodeText(hash, 'base64', scheme, 'hash');
    if (expected.length !== pbkdf2.size) throw malformed(scheme, `hash must be ${pbkdf2.size} bytes`);
    return makePbkdf2(scheme, pbkdf2.digest, rounds, salt, expected, limits);
  }
  if (algorithm === 'bcrypt') return bcryptFamily.parse(hash, limits);
  if (algorithm === 'md5_crypt') return md5CryptFamily.parse(hash, limits);
  const digest = DIGESTS[algorithm];
  if (!digest) throw unsupported(`Gigya ${algorithm} hashes`, 'Let these users migrate by trickle login (Gigya accounts.login), or declare an equivalent structured hash.');
  if (rounds !== undefined && rounds > 1) throw unsupported(`Gigya ${algorithm} with ${rounds} rounds`, 'Let these users migrate by trickle login (Gigya accounts.login).');
  const format = stringField(settings, 'format', scheme) ?? '$salt$password';
  const order = format.replace(/[^$a-z]/g, '');
  if (order !== '$salt$password' && order !== '$password$salt') throw unsupported(`Gigya format "${format}"`);
  const expected = decodeText(hash, 'base64', scheme, 'hash');
  if (expected.length !== SaltedDigestHash.sizeOf(digest)) throw malformed(scheme, `hash must be base64 of a ${algorithm} digest`);
  return new SaltedDigestHash({ scheme, digest, expected, salt, position: order === '$salt$password' ? 'prefix' : 'suffix', auth0Encoding: 'base64', auth0SaltEncoding: 'base64' });
}
