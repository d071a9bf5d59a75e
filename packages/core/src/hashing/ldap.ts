/**
 * RFC 2307 userPassword values: `{SHA}` `{SHA256}` `{SHA384}` `{SHA512}` `{MD5}` =
 * base64(digest); salted `{SSHA*}` `{SMD5}` = base64(digest(pw‖salt) ‖ salt); `{CRYPT}`
 * wraps a crypt(3) string. Also passlib/Roundup's hex `{SHA}`/`{MD5}` forms.
 */
import type { HashCostLimits } from '../contracts/password-hash';
import { base64Capacity, decodeBase64Into, decodeHexInto } from './codecs';
import { DIGEST_SIZES, type DigestName } from './digest';
import { malformed, unsupported } from './errors';
import { wrapParsed, type ParsedHash, type StringHashFamily } from './parsed-hash';
import { SALTED_DIGEST_DRAFT, type SaltedDigestDraft } from './salted-digest';

interface TagSpec {
  digest: DigestName;
  salted: boolean;
  scheme: string;
  /** Scheme of passlib/Roundup's hex form (unsalted tags only). */
  hexScheme: string;
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
  ).map(([tag, digest, salted]) => [tag, { digest, salted, scheme: `ldap-${tag.toLowerCase()}`, hexScheme: `ldap-${tag.toLowerCase()}-hex` }]),
);

const HEX_AUTH0 = Object.freeze({ auth0Encoding: 'hex' as const });

/** `{TAG}body` split at the first `}` (TAG in [A-Z0-9]+; indexOf rather than a regex: this runs per verification). */
function tagEnd(hash: string): number {
  const end = hash.charCodeAt(0) === 0x7b ? hash.indexOf('}') : -1;
  return end > 1 ? end : -1;
}

/**
 * Reads a digest `{TAG}value` into `draft`; undefined for `{CRYPT}`, which wraps a
 * crypt(3) string instead (see {@link parseLdap}).
 */
export function draftLdap(hash: string, draft: SaltedDigestDraft): SaltedDigestDraft | undefined {
  const end = tagEnd(hash);
  const tag = end > 0 ? hash.slice(1, end) : '';
  if (tag === 'CRYPT') return undefined;
  const spec = TAGS.get(tag);
  // Only a plain tag is echoed: the message must never carry arbitrary stored text.
  if (!spec) throw unsupported(`LDAP scheme {${/^[A-Z0-9]+$/.test(tag) ? tag : ''}}`);
  const body = hash.slice(end + 1);
  const scheme = spec.scheme;
  const size = DIGEST_SIZES[spec.digest];
  draft.start(scheme, spec.digest);
  const memory = draft.room(base64Capacity(body));
  // Roundup/passlib hex forms: 2×size hex digits can also parse as base64, so test hex first.
  if (!spec.salted && body.length === size * 2 && decodeHexInto(body, memory, 0) === size) {
    draft.scheme = spec.hexScheme;
    draft.expect(0);
    draft.auth0 = HEX_AUTH0;
    return draft;
  }
  const length = decodeBase64Into(body, 'required', false, memory, 0);
  if (length < 0) throw malformed(scheme, 'the value must be canonical padded base64');
  if (spec.salted ? length <= size : length !== size) {
    throw malformed(scheme, spec.salted ? `expected a ${size}-byte digest followed by a salt` : `expected a ${size}-byte digest`);
  }
  draft.expect(0);
  draft.saltAt(size, length, 'suffix');
  draft.auth0 = { auth0Ldap: hash };
  return draft;
}

/**
 * Parses `{TAG}value`. `parseInner` handles `{CRYPT}` bodies (the crypt families live in
 * the registry, which imports this module).
 */
export function parseLdap(hash: string, limits: HashCostLimits, parseInner: (inner: string, limits: HashCostLimits) => ParsedHash): ParsedHash {
  const digest = draftLdap(hash, SALTED_DIGEST_DRAFT);
  if (digest) return digest.toParsed();
  const body = hash.slice(tagEnd(hash) + 1);
  if (!/^\$(1|5|6|2[abxy]|apr1)\$/.test(body)) throw unsupported('{CRYPT} with a DES or unknown crypt(3) body', 'Only md5-crypt, sha256/512-crypt, apr1 and bcrypt bodies are supported; let these users migrate by trickle login.');
  const inner = parseInner(body, limits);
  return wrapParsed(inner, `ldap-crypt-${inner.scheme}`);
}

/** LDAP `{TAG}` strings other than `{PBKDF2…}` and `{PKCS5S2}` (own families). */
export function ldapFamily(parseInner: (inner: string, limits: HashCostLimits) => ParsedHash): StringHashFamily {
  return {
    claims: (hash) => /^\{(S?SHA(256|384|512)?|S?MD5|CRYPT)\}/.test(hash),
    parse: (hash, limits) => parseLdap(hash, limits, parseInner),
    draft: draftLdap,
  };
}
