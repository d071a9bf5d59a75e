/**
 * RFC 2307 userPassword values: `{SHA}` `{SHA256}` `{SHA384}` `{SHA512}` `{MD5}` =
 * base64(digest); salted `{SSHA*}` `{SMD5}` = base64(digest(pw‖salt) ‖ salt); `{CRYPT}`
 * wraps a crypt(3) string. Also passlib/Roundup's hex `{SHA}`/`{MD5}` forms.
 */
import type { HashCostLimits } from '../contracts/password-hash';
import { decodeBase64, decodeHex } from './codecs';
import type { DigestName } from './digest';
import { malformed, unsupported } from './errors';
import { wrapParsed, type ParsedHash, type StringHashFamily } from './parsed-hash';
import { SaltedDigestHash } from './salted-digest';

interface TagSpec {
  digest: DigestName;
  salted: boolean;
  scheme: string;
}

const TAGS: ReadonlyMap<string, TagSpec> = new Map(
  (
    [
      ['SHA', 'sha1', false],
      ['SSHA', 'sha1', true],
      ['SHA256', 'sha256', false],
      ['SSHA256', 'sha256', true],
      ['SHA384', 'sha384', false],
      ['SSHA384', 'sha384', true],
      ['SHA512', 'sha512', false],
      ['SSHA512', 'sha512', true],
      ['MD5', 'md5', false],
      ['SMD5', 'md5', true],
    ] as const
  ).map(([tag, digest, salted]) => [tag, { digest, salted, scheme: `ldap-${tag.toLowerCase()}` }]),
);

/**
 * Parses `{TAG}value`. `parseInner` handles `{CRYPT}` bodies (the crypt families live in
 * the registry, which imports this module).
 */
export function parseLdap(hash: string, limits: HashCostLimits, parseInner: (inner: string, limits: HashCostLimits) => ParsedHash): ParsedHash {
  // `{TAG}body`, TAG in [A-Z0-9]+ (indexOf and a map lookup rather than a regex: this runs per verification).
  const end = hash.charCodeAt(0) === 0x7b ? hash.indexOf('}') : -1;
  const tag = end > 1 ? hash.slice(1, end) : '';
  const body = end > 1 ? hash.slice(end + 1) : '';
  if (tag === 'CRYPT') {
    if (!/^\$(1|5|6|2[abxy]|apr1)\$/.test(body)) throw unsupported('{CRYPT} with a DES or unknown crypt(3) body', 'Only md5-crypt, sha256/512-crypt, apr1 and bcrypt bodies are supported; let these users migrate by trickle login.');
    const inner = parseInner(body, limits);
    return wrapParsed(inner, `ldap-crypt-${inner.scheme}`);
  }
  const spec = TAGS.get(tag);
  // Only a plain tag is echoed: the message must never carry arbitrary stored text.
  if (!spec) throw unsupported(`LDAP scheme {${/^[A-Z0-9]+$/.test(tag) ? tag : ''}}`);
  const scheme = spec.scheme;
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
    auth0Ldap: hash,
  });
}

/** LDAP `{TAG}` strings other than `{PBKDF2…}` and `{PKCS5S2}` (own families). */
export function ldapFamily(parseInner: (inner: string, limits: HashCostLimits) => ParsedHash): StringHashFamily {
  return {
    claims: (hash) => /^\{(S?SHA(256|384|512)?|S?MD5|CRYPT)\}/.test(hash),
    parse: (hash, limits) => parseLdap(hash, limits, parseInner),
  };
}
