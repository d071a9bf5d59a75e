/**
 * RFC 2307 userPassword values: `{SHA}` `{SHA256}` `{SHA384}` `{SHA512}` `{MD5}` =
 * base64(digest); salted `{SSHA*}` `{SMD5}` = base64(digest(pw‖salt) ‖ salt); `{CRYPT}`
 * wraps a crypt(3) string. Also passlib/Roundup's hex `{SHA}`/`{MD5}` forms.
 */
import type { HashCostLimits } from '../contracts/password-hash';
import { decodeBase64, decodeHex } from './codecs';
import type { DigestName } from './digest';
import { malformed, unsupported } from './errors';
import type { ParsedHash, StringHashFamily } from './parsed-hash';
import { SaltedDigestHash } from './salted-digest';

const TAGS: Readonly<Record<string, { digest: DigestName; salted: boolean }>> = {
  SHA: { digest: 'sha1', salted: false },
  SSHA: { digest: 'sha1', salted: true },
  SHA256: { digest: 'sha256', salted: false },
  SSHA256: { digest: 'sha256', salted: true },
  SHA384: { digest: 'sha384', salted: false },
  SSHA384: { digest: 'sha384', salted: true },
  SHA512: { digest: 'sha512', salted: false },
  SSHA512: { digest: 'sha512', salted: true },
  MD5: { digest: 'md5', salted: false },
  SMD5: { digest: 'md5', salted: true },
};

/**
 * Parses `{TAG}value`. `parseInner` handles `{CRYPT}` bodies (the crypt families live in
 * the registry, which imports this module).
 */
export function parseLdap(hash: string, limits: HashCostLimits, parseInner: (inner: string, limits: HashCostLimits) => ParsedHash): ParsedHash {
  const m = /^\{([A-Z0-9]+)\}(.*)$/s.exec(hash);
  const tag = m?.[1] ?? '';
  const body = m?.[2] ?? '';
  if (tag === 'CRYPT') {
    if (!/^\$(1|5|6|2[abxy]|apr1)\$/.test(body)) throw unsupported('{CRYPT} with a DES or unknown crypt(3) body', 'Only md5-crypt, sha256/512-crypt, apr1 and bcrypt bodies are supported; let these users migrate by trickle login.');
    const inner = parseInner(body, limits);
    return { scheme: `ldap-crypt-${inner.scheme}`, verify: (password) => inner.verify(password), toAuth0: () => inner.toAuth0() };
  }
  const spec = TAGS[tag];
  if (!spec) throw unsupported(`LDAP scheme {${tag}}`);
  const scheme = `ldap-${tag.toLowerCase()}`;
  const size = SaltedDigestHash.sizeOf(spec.digest);
  // Roundup/passlib hex forms: 2×size hex digits can also parse as base64, so test hex first.
  if (!spec.salted && body.length === size * 2) {
    const hex = decodeHex(body);
    if (hex) return new SaltedDigestHash({ scheme: `${scheme}-hex`, digest: spec.digest, expected: hex, auth0Encoding: 'hex' });
  }
  const raw = decodeBase64(body, 'required');
  if (!raw) throw malformed(scheme, 'the value must be canonical padded base64');
  if (spec.salted ? raw.length <= size : raw.length !== size) {
    throw malformed(scheme, spec.salted ? `expected a ${size}-byte digest followed by a salt` : `expected a ${size}-byte digest`);
  }
  return new SaltedDigestHash({
    scheme,
    digest: spec.digest,
    expected: raw.subarray(0, size),
    salt: raw.subarray(size),
    position: 'suffix',
    auth0Override: { custom_password_hash: { algorithm: 'ldap', hash: { value: hash, encoding: 'utf8' } } },
  });
}

/** LDAP `{TAG}` strings other than `{PBKDF2…}` and `{PKCS5S2}` (own families). */
export function ldapFamily(parseInner: (inner: string, limits: HashCostLimits) => ParsedHash): StringHashFamily {
  return {
    claims: (hash) => /^\{(S?SHA(256|384|512)?|S?MD5|CRYPT)\}/.test(hash),
    parse: (hash, limits) => parseLdap(hash, limits, parseInner),
  };
}
