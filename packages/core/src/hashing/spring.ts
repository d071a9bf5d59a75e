/**
 * Spring Security `DelegatingPasswordEncoder` ids other than `{bcrypt}` and `{scrypt}`
 * (which live with their families): `{argon2}`, `{ldap}`, and the
 * `MessageDigestPasswordEncoder` family `{MD4}`/`{MD5}`/`{SHA-1}`/`{SHA-256}`, whose value
 * is `{salt}hex` with hex = digest(password ‖ "{salt}").
 */
import type { HashCostLimits } from '../contracts/password-hash';
import { parseArgon2 } from './argon2';
import { decodeHex } from './codecs';
import type { DigestName } from './digest';
import { malformed, unsupported } from './errors';
import { wrapParsed, type ParsedHash, type StringHashFamily } from './parsed-hash';
import { SaltedDigestHash } from './salted-digest';

const DIGEST_IDS: Readonly<Record<string, DigestName>> = { MD4: 'md4', MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256' };

function parseMessageDigest(id: string, body: string): ParsedHash {
  const digest = DIGEST_IDS[id] as DigestName;
  const scheme = `spring-${id.toLowerCase()}`;
  const m = /^(\{[^}]*\})?([0-9a-fA-F]+)$/.exec(body);
  const expected = m?.[2] === undefined ? undefined : decodeHex(m[2]);
  if (!m || !expected || expected.length !== SaltedDigestHash.sizeOf(digest)) throw malformed(scheme, 'expected an optional {salt} followed by the hex digest');
  // Spring appends the salt *with its braces* to the password.
  return new SaltedDigestHash({ scheme, digest, expected, salt: Buffer.from(m[1] ?? '', 'utf8'), position: 'suffix', auth0Encoding: 'hex', auth0SaltEncoding: 'utf8' });
}

/**
 * Spring ids. `parseLdapValue` handles `{ldap}` bodies (an LDAP `{SSHA}` string), passed
 * in by the registry to avoid an import cycle.
 */
export function springFamily(parseLdapValue: (hash: string, limits: HashCostLimits) => ParsedHash): StringHashFamily {
  return {
    claims: (hash) => /^\{(argon2|ldap|noop|pbkdf2|sha256|MD4|SHA-1|SHA-256)\}/.test(hash) || hash.startsWith('{MD5}{'),
    parse: (hash, limits) => {
      const end = hash.indexOf('}');
      const id = hash.slice(1, end);
      const body = hash.slice(end + 1);
      switch (id) {
        case 'argon2':
          return parseArgon2(body, limits, 'spring-argon2');
        case 'ldap': {
          const inner = parseLdapValue(body, limits);
          return wrapParsed(inner, `spring-${inner.scheme}`);
        }
        case 'MD4':
        case 'MD5':
        case 'SHA-1':
        case 'SHA-256':
          return parseMessageDigest(id, body);
        default:
          throw unsupported(
            `Spring {${id}} hashes`,
            id === 'noop'
              ? 'Plain-text passwords are not hashes: hash them with PasswordHashing.hash() during export, or migrate by trickle login.'
              : `Spring {${id}} keeps its parameters (secret, iterations, digest) in application config; declare a structured hash with them, or migrate by trickle login.`,
          );
      }
    },
  };
}
