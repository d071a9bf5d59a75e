/**
 * Okta's password-import hash objects (Users API `credentials.password.hash`):
 * `{algorithm: BCRYPT|SHA-512|SHA-256|SHA-1|MD5|PBKDF2, salt, saltOrder, value,
 * workFactor?, digestAlgorithm?, iterationCount?, keySize?}`. Salt and value are base64
 * except for BCRYPT, whose salt (22) and value (31) are bcrypt's own alphabet.
 */
import type { HashCostLimits } from '../../contracts/password-hash';
import type { JsonObject } from '../../contracts/profile';
import { parseBcrypt } from '../bcrypt';
import type { DigestName } from '../digest';
import { malformed, unsupported } from '../errors';
import type { ParsedHash } from '../parsed-hash';
import { makePbkdf2 } from '../pbkdf2';
import { SaltedDigestHash } from '../salted-digest';
import { decodeText, enumField, integerField, requiredString, stringField } from './fields';

/** Okta's algorithm names. */
export const OKTA_ALGORITHMS: readonly string[] = ['BCRYPT', 'SHA-512', 'SHA-256', 'SHA-1', 'MD5', 'PBKDF2'];

const DIGESTS: Readonly<Record<string, DigestName>> = { 'SHA-512': 'sha512', 'SHA-256': 'sha256', 'SHA-1': 'sha1', MD5: 'md5' };
const PBKDF2_DIGESTS: Readonly<Record<string, DigestName>> = { SHA1_HMAC: 'sha1', SHA256_HMAC: 'sha256', SHA512_HMAC: 'sha512' };

/** Parses an Okta hash object. */
export function parseOkta(obj: JsonObject, limits: HashCostLimits): ParsedHash {
  const algorithm = requiredString(obj, 'algorithm', 'okta');
  const scheme = `okta-${algorithm.toLowerCase()}`;
  const value = requiredString(obj, 'value', scheme);
  if (algorithm === 'BCRYPT') {
    const cost = integerField(obj, 'workFactor', scheme);
    const salt = requiredString(obj, 'salt', scheme);
    if (cost === undefined) throw malformed(scheme, 'workFactor is required');
    return parseBcrypt(`$2a$${String(cost).padStart(2, '0')}$${salt}${value}`, limits, 'bcrypt');
  }
  const saltText = stringField(obj, 'salt', scheme);
  const salt = saltText === undefined ? undefined : decodeText(saltText, 'base64', scheme, 'salt');
  const expected = decodeText(value, 'base64', scheme, 'value');
  if (algorithm === 'PBKDF2') {
    const digestText = requiredString(obj, 'digestAlgorithm', scheme);
    const digest = PBKDF2_DIGESTS[digestText];
    if (!digest) throw unsupported(`Okta PBKDF2 with ${digestText}`);
    const keySize = integerField(obj, 'keySize', scheme);
    if (keySize !== undefined && keySize !== expected.length) throw malformed(scheme, 'keySize does not match the length of value');
    return makePbkdf2(`okta-pbkdf2-${digest}`, digest, integerField(obj, 'iterationCount', scheme), salt ?? Buffer.alloc(0), expected, limits);
  }
  const digest = DIGESTS[algorithm];
  if (!digest) throw unsupported(`Okta algorithm ${algorithm}`);
  if (expected.length !== SaltedDigestHash.sizeOf(digest)) throw malformed(scheme, `value must be base64 of a ${algorithm} digest`);
  const order = enumField(obj, 'saltOrder', ['PREFIX', 'POSTFIX'] as const, 'PREFIX', scheme);
  return new SaltedDigestHash({
    scheme,
    digest,
    expected,
    ...(salt ? { salt, position: order === 'PREFIX' ? 'prefix' : 'suffix' } : {}),
    auth0Encoding: 'base64',
    auth0SaltEncoding: 'base64',
  });
}
