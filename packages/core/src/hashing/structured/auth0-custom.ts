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
import { DIGEST_SIZES, hmac, isDigestName, type DigestName } from '../digest';
import { malformed, unsupported } from '../errors';
import { parseLdap } from '../ldap';
import { wrapParsed, type ParsedHash } from '../parsed-hash';
import { pbkdf2DollarFamily } from '../pbkdf2-formats';
import { SALTED_DIGEST_DRAFT, type PasswordEncoding, type SaltedDigestDraft } from '../salted-digest';
import { makeScrypt } from '../scrypt';
import { decodeText, decodeTextInto, enumField, integerField, objectField, requiredString, textCapacity, type TextEncoding } from './fields';

const PASSWORD_ENCODINGS: readonly PasswordEncoding[] = ['ascii', 'utf8', 'utf16le', 'ucs2', 'latin1', 'binary'];
const TEXT_ENCODINGS = ['base64', 'hex', 'utf8'] as const;
const HASH_ENCODINGS = ['hex', 'base64'] as const;
const SALT_POSITIONS = ['prefix', 'suffix'] as const;
const DIGESTS = ['md4', 'md5', 'sha1', 'sha256', 'sha512'] as const;

/** The algorithms Auth0's schema allows. */
export const AUTH0_ALGORITHMS: readonly string[] = ['argon2', 'bcrypt', 'hmac', 'ldap', 'md4', 'md5', 'sha1', 'sha256', 'sha512', 'pbkdf2', 'scrypt'];

/** The digests a structured hash may name (Auth0's five, and sha224/sha384), with their scheme names. */
const DIGEST_ALGORITHMS: ReadonlyMap<string, { digest: DigestName; scheme: string; salted: string }> = new Map(
  (['md4', 'md5', 'sha1', 'sha256', 'sha512', 'sha224', 'sha384'] as const).map((digest) => [digest, { digest, scheme: `structured-${digest}`, salted: `salted-${digest}` }]),
);

interface Salt<T> {
  bytes: T;
  position: 'prefix' | 'suffix';
}

/** The optional `salt` object, its value decoded by `decode` (between the value and position checks). */
function readSalt<T>(obj: JsonObject, scheme: string, decode: (value: string, encoding: TextEncoding) => T): Salt<T> | undefined {
  const salt = objectField(obj, 'salt', scheme);
  if (!salt) return undefined;
  const encoding = enumField(salt, 'encoding', TEXT_ENCODINGS, 'utf8', scheme);
  return {
    bytes: decode(requiredString(salt, 'value', `${scheme} salt`), encoding),
    position: enumField(salt, 'position', SALT_POSITIONS, 'prefix', scheme),
  };
}

/** The fields every algorithm reads first, in this order: `hash`, `hash.value`, `password.encoding`. */
function readHead(obj: JsonObject, scheme: string): { hash: JsonObject; value: string; passwordEncoding: PasswordEncoding } {
  const hash = objectField(obj, 'hash', scheme);
  if (!hash) throw malformed(scheme, 'hash is required');
  const value = requiredString(hash, 'value', scheme);
  const passwordObj = objectField(obj, 'password', scheme);
  const passwordEncoding = passwordObj === undefined ? 'utf8' : enumField(passwordObj, 'encoding', PASSWORD_ENCODINGS, 'utf8', scheme);
  return { hash, value, passwordEncoding };
}

/**
 * Reads a structured digest (`algorithm` one of {@link DIGEST_ALGORITHMS}) into `draft`,
 * with the checks and errors of {@link parseAuth0Custom}; undefined for other algorithms.
 */
export function draftAuth0Digest(obj: JsonObject, draft: SaltedDigestDraft): SaltedDigestDraft | undefined {
  const names = typeof obj.algorithm === 'string' ? DIGEST_ALGORITHMS.get(obj.algorithm) : undefined;
  if (!names) return undefined;
  const { digest, scheme } = names;
  const { hash, value, passwordEncoding } = readHead(obj, scheme);
  draft.start(scheme, digest);
  const salt = readSalt(obj, scheme, (text, encoding) => decodeTextInto(text, encoding, scheme, 'salt.value', draft.room(textCapacity(text, encoding)), 0));
  const saltLength = salt?.bytes ?? 0;
  const encoding = enumField(hash, 'encoding', HASH_ENCODINGS, 'hex', scheme);
  const length = decodeTextInto(value, encoding, scheme, 'hash.value', draft.room(saltLength + textCapacity(value, encoding)), saltLength);
  if (length !== DIGEST_SIZES[digest]) throw malformed(scheme, `hash.value must decode to a ${digest} digest`);
  draft.expect(saltLength);
  // Named salted-<digest> with a salt (even an empty one), <digest> without.
  draft.scheme = salt ? names.salted : digest;
  if (salt) draft.saltAt(0, saltLength, salt.position);
  draft.passwordEncoding = passwordEncoding;
  return draft;
}

function withSalt(password: Buffer, salt: Salt<Buffer> | undefined): Buffer {
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
  const digest = draftAuth0Digest(obj, SALTED_DIGEST_DRAFT);
  if (digest) {
    const inner = digest.toParsed();
    // sha224/sha384 are Ferry extensions: Auth0 cannot take them, and the inner hash says so.
    return AUTH0_ALGORITHMS.includes(algorithm) ? passthrough(inner, obj) : inner;
  }
  const scheme = `structured-${algorithm}`;
  const { hash, value, passwordEncoding } = readHead(obj, scheme);
  const salt = readSalt(obj, scheme, (text, encoding) => decodeText(text, encoding, scheme, 'salt.value'));
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
    case 'hmac': {
      const digestName = enumField(hash, 'digest', ['md4', 'md5', 'ripemd160', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'whirlpool'] as const, 'sha256', scheme);
      if (hash.digest === undefined) throw malformed(scheme, 'hash.digest is required');
      const keyObj = objectField(hash, 'key', scheme);
      if (!keyObj) throw malformed(scheme, 'hash.key is required');
      const key = decodeText(requiredString(keyObj, 'value', scheme), enumField(keyObj, 'encoding', TEXT_ENCODINGS, 'utf8', scheme), scheme, 'hash.key.value');
      const expected = decodeText(value, enumField(hash, 'encoding', HASH_ENCODINGS, 'hex', scheme), scheme, 'hash.value');
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
      const key = decodeText(value, enumField(hash, 'encoding', HASH_ENCODINGS, 'hex', scheme), scheme, 'hash.value');
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
