/**
 * Auth0 `custom_password_hash` objects — and Ferry's structured shape, which is the same
 * object with a few more algorithms. Each algorithm is checked exactly as Auth0 documents
 * it, then verified by the same code that verifies the matching string format.
 */
import type { HashCostLimits } from '../../contracts/password-hash';
import type { Auth0CustomPasswordHash, JsonObject } from '../../contracts/profile';
import { parseArgon2 } from '../argon2';
import { parseBcrypt } from '../bcrypt';
import { constantTimeEqual } from '../compare';
import { hmac, isDigestName, type DigestName } from '../digest';
import { malformed, unsupported } from '../errors';
import { parseLdap } from '../ldap';
import { wrapParsed, type ParsedHash } from '../parsed-hash';
import { pbkdf2DollarFamily } from '../pbkdf2-formats';
import { SaltedDigestHash, type PasswordEncoding } from '../salted-digest';
import { makeScrypt } from '../scrypt';
import { decodeText, enumField, integerField, objectField, requiredString } from './fields';

const PASSWORD_ENCODINGS: readonly PasswordEncoding[] = ['ascii', 'utf8', 'utf16le', 'ucs2', 'latin1', 'binary'];
const TEXT_ENCODINGS = ['base64', 'hex', 'utf8'] as const;
const DIGESTS = ['md4', 'md5', 'sha1', 'sha256', 'sha512'] as const;

/** The algorithms Auth0's schema allows. */
export const AUTH0_ALGORITHMS: readonly string[] = ['argon2', 'bcrypt', 'hmac', 'ldap', 'md4', 'md5', 'sha1', 'sha256', 'sha512', 'pbkdf2', 'scrypt'];

interface Salt {
  bytes: Buffer;
  position: 'prefix' | 'suffix';
}

function readSalt(obj: JsonObject, scheme: string): Salt | undefined {
  const salt = objectField(obj, 'salt', scheme);
  if (!salt) return undefined;
  const encoding = enumField(salt, 'encoding', TEXT_ENCODINGS, 'utf8', scheme);
  return {
    bytes: decodeText(requiredString(salt, 'value', `${scheme} salt`), encoding, scheme, 'salt.value'),
    position: enumField(salt, 'position', ['prefix', 'suffix'] as const, 'prefix', scheme),
  };
}

function withSalt(password: Buffer, salt: Salt | undefined): Buffer {
  if (!salt) return password;
  return salt.position === 'prefix' ? Buffer.concat([salt.bytes, password]) : Buffer.concat([password, salt.bytes]);
}

/** Keeps only the fields Auth0's schema allows, so the object can be imported as is. */
function auth0Form(obj: JsonObject): Auth0CustomPasswordHash {
  const keys = ['algorithm', 'hash', 'salt', 'password', 'keylen', 'cost', 'blockSize', 'parallelization'];
  return Object.fromEntries(keys.filter((k) => obj[k] !== undefined).map((k) => [k, obj[k]])) as unknown as Auth0CustomPasswordHash;
}

/** `inner`, converted for Auth0 as the object itself (built on demand: verifying never needs it). */
function passthrough(inner: ParsedHash, obj: JsonObject): ParsedHash {
  return wrapParsed(inner, inner.scheme, () => ({ custom_password_hash: auth0Form(obj) }));
}

/** Parses an Auth0-shaped structured hash. */
export function parseAuth0Custom(obj: JsonObject, limits: HashCostLimits): ParsedHash {
  const algorithm = requiredString(obj, 'algorithm', 'structured');
  const scheme = `structured-${algorithm}`;
  const hash = objectField(obj, 'hash', scheme);
  if (!hash) throw malformed(scheme, 'hash is required');
  const value = requiredString(hash, 'value', scheme);
  const passwordObj = objectField(obj, 'password', scheme);
  const passwordEncoding = passwordObj === undefined ? 'utf8' : enumField(passwordObj, 'encoding', PASSWORD_ENCODINGS, 'utf8', scheme);
  const salt = readSalt(obj, scheme);
  const encode = (password: string): Buffer => Buffer.from(password, passwordEncoding);

  switch (algorithm) {
    case 'argon2':
      return passthrough(parseArgon2(value, limits), obj);
    case 'pbkdf2':
      return passthrough(pbkdf2DollarFamily.parse(value, limits), obj);
    case 'ldap':
      if (value.startsWith('{CRYPT}')) throw unsupported('Auth0 ldap hashes with {CRYPT}', 'Give the crypt(3) string itself instead of a structured ldap hash.');
      return passthrough(parseLdap(value, limits, () => { throw unsupported('{CRYPT}'); }), obj);
    case 'bcrypt': {
      const inner = parseBcrypt(value, limits);
      return {
        scheme: salt ? 'salted-bcrypt' : 'bcrypt',
        verify: (password) => inner.verifyInput(withSalt(encode(password), salt)),
        toAuth0: () => ({ custom_password_hash: auth0Form(obj) }),
      };
    }
    case 'md4':
    case 'md5':
    case 'sha1':
    case 'sha256':
    case 'sha512':
    case 'sha224':
    case 'sha384': {
      const encoding = enumField(hash, 'encoding', ['hex', 'base64'] as const, 'hex', scheme);
      const expected = decodeText(value, encoding, scheme, 'hash.value');
      if (expected.length !== SaltedDigestHash.sizeOf(algorithm)) throw malformed(scheme, `hash.value must decode to a ${algorithm} digest`);
      const inner = salt
        ? new SaltedDigestHash({ scheme: `salted-${algorithm}`, digest: algorithm, expected, salt: salt.bytes, position: salt.position, passwordEncoding })
        : new SaltedDigestHash({ scheme: algorithm, digest: algorithm, expected, passwordEncoding });
      // sha224/sha384 are Ferry extensions: Auth0 cannot take them, and the inner hash says so.
      return AUTH0_ALGORITHMS.includes(algorithm) ? passthrough(inner, obj) : inner;
    }
    case 'hmac': {
      const digestName = enumField(hash, 'digest', ['md4', 'md5', 'ripemd160', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'whirlpool'] as const, 'sha256', scheme);
      if (hash.digest === undefined) throw malformed(scheme, 'hash.digest is required');
      const keyObj = objectField(hash, 'key', scheme);
      if (!keyObj) throw malformed(scheme, 'hash.key is required');
      const key = decodeText(requiredString(keyObj, 'value', scheme), enumField(keyObj, 'encoding', TEXT_ENCODINGS, 'utf8', scheme), scheme, 'hash.key.value');
      const expected = decodeText(value, enumField(hash, 'encoding', ['hex', 'base64'] as const, 'hex', scheme), scheme, 'hash.value');
      const digest: DigestName = digestName;
      return passthrough(
        {
          scheme: `hmac-${digest}`,
          verifySync: (password) => constantTimeEqual(hmac(digest, key, withSalt(encode(password), salt)), expected),
          verify: async (password) => constantTimeEqual(hmac(digest, key, withSalt(encode(password), salt)), expected),
          toAuth0: () => ({ custom_password_hash: auth0Form(obj) }),
        },
        obj,
      );
    }
    case 'scrypt': {
      if (!salt) throw malformed(scheme, 'salt is required for scrypt');
      const keylen = integerField(obj, 'keylen', scheme);
      if (keylen === undefined) throw malformed(scheme, 'keylen is required for scrypt');
      const key = decodeText(value, enumField(hash, 'encoding', ['hex', 'base64'] as const, 'hex', scheme), scheme, 'hash.value');
      if (key.length !== keylen) throw malformed(scheme, 'keylen does not match the length of hash.value');
      const params = { N: integerField(obj, 'cost', scheme) ?? 16384, r: integerField(obj, 'blockSize', scheme) ?? 8, p: integerField(obj, 'parallelization', scheme) ?? 1 };
      const inner = makeScrypt('scrypt', params, salt.bytes, key, limits);
      if (passwordEncoding !== 'utf8') throw unsupported('scrypt with a non-UTF-8 password encoding');
      return passthrough(inner, obj);
    }
    default:
      if (isDigestName(algorithm) || DIGESTS.includes(algorithm as (typeof DIGESTS)[number])) throw unsupported(`structured ${algorithm} digests (Auth0 allows md4, md5, sha1, sha256, sha512)`);
      throw unsupported(`structured algorithm "${algorithm}"`);
  }
}
