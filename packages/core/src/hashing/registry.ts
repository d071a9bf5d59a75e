/**
 * The ordered list of string families and the dispatcher over it. Order matters only
 * where prefixes overlap (Spring `{MD5}{salt}` before LDAP `{MD5}`).
 */
import type { HashCostLimits } from '../contracts/password-hash';
import { argon2Family, djangoArgon2Family } from './argon2';
import { aspnetIdentityFamily } from './aspnet-identity';
import { bcryptFamily } from './bcrypt';
import { djangoBcryptFamily, djangoBcryptSha256Family, springBcryptFamily, wordpressBcryptFamily } from './bcrypt-wrappers';
import { djangoMd5Family, djangoSha1Family } from './django-digest';
import { unsupported } from './errors';
import { ldapFamily, parseLdap } from './ldap';
import { apr1Family, md5CryptFamily } from './md5-crypt';
import { mysql41Family } from './mysql';
import type { ParsedHash, StringHashFamily } from './parsed-hash';
import type { SaltedDigestDraft } from './salted-digest';
import { atlassianPbkdf2Family, djangoPbkdf2Family, ldapPbkdf2Family, pbkdf2DollarFamily } from './pbkdf2-formats';
import { drupal7Family, phpassFamily } from './phpass';
import { djangoScryptFamily, scryptPhcFamily, springScryptFamily } from './scrypt';
import { sha256CryptFamily, sha512CryptFamily } from './sha-crypt';
import { springFamily } from './spring';
import { stormpath1Family, stormpath2Family } from './stormpath';

const CRYPT_FAMILIES: readonly StringHashFamily[] = [bcryptFamily, md5CryptFamily, apr1Family, sha256CryptFamily, sha512CryptFamily];

function parseCrypt(hash: string, limits: HashCostLimits): ParsedHash {
  const family = CRYPT_FAMILIES.find((f) => f.claims(hash));
  if (!family) throw unsupported('this crypt(3) variant');
  return family.parse(hash, limits);
}

const springLdapFamily = springFamily((hash, limits) => parseLdap(hash, limits, parseCrypt));
const ldapTagFamily = ldapFamily(parseCrypt);

/** Families grouped by the first character of the strings they claim (a cheap first cut). */
export const BY_FIRST_CHAR: Readonly<Record<string, readonly StringHashFamily[]>> = {
  $: [...CRYPT_FAMILIES, wordpressBcryptFamily, argon2Family, pbkdf2DollarFamily, scryptPhcFamily, phpassFamily, drupal7Family, stormpath1Family, stormpath2Family],
  '{': [springBcryptFamily, springScryptFamily, springLdapFamily, ldapPbkdf2Family, atlassianPbkdf2Family, ldapTagFamily],
  '*': [mysql41Family],
};

/**
 * The common prefixes (`$1$`, `{SSHA}`…) straight to the only families that can claim
 * them, in the same order as above, so a verification does not try every family's test
 * first. Each single-family entry must be a prefix that family's `claims` accepts (the
 * registry test checks this). Anything else goes through BY_FIRST_CHAR.
 */
export const BY_PREFIX: ReadonlyMap<string, readonly StringHashFamily[]> = new Map<string, readonly StringHashFamily[]>([
  ['$1$', [md5CryptFamily]],
  ['$5$', [sha256CryptFamily]],
  ['$6$', [sha512CryptFamily]],
  ['$2a$', [bcryptFamily]],
  ['$2b$', [bcryptFamily]],
  ['$2y$', [bcryptFamily]],
  ['$P$', [phpassFamily]],
  ['$H$', [phpassFamily]],
  ['$S$', [drupal7Family]],
  ...['{SHA}', '{SSHA}', '{SHA256}', '{SSHA256}', '{SHA384}', '{SSHA384}', '{SHA512}', '{SSHA512}', '{SMD5}', '{CRYPT}'].map((tag): [string, readonly StringHashFamily[]] => [tag, [ldapTagFamily]]),
  // Spring's {MD5}{salt}hex before LDAP's {MD5}base64.
  ['{MD5}', [springLdapFamily, ldapTagFamily]],
]);

/** The `$id$` or `{TAG}` a string starts with, or '' (no allocation beyond the slice). */
function prefixOf(hash: string): string {
  const first = hash.charCodeAt(0);
  if (first === 0x24 /* $ */) {
    const end = hash.indexOf('$', 1);
    return end > 0 && end <= 4 ? hash.slice(0, end + 1) : '';
  }
  if (first === 0x7b /* { */) {
    const end = hash.indexOf('}', 1);
    return end > 0 && end <= 9 ? hash.slice(0, end + 1) : '';
  }
  return '';
}

/** Django's `<algorithm>$…` forms, then bare base64 blobs (ASP.NET Identity). */
const OTHER_FAMILIES: readonly StringHashFamily[] = [
  djangoPbkdf2Family,
  djangoBcryptSha256Family,
  djangoBcryptFamily,
  djangoArgon2Family,
  djangoScryptFamily,
  djangoMd5Family,
  djangoSha1Family,
  aspnetIdentityFamily,
];

const AMBIGUOUS_HINT =
  'A bare hex or base64 string could be MD5, SHA-1, SHA-256, salted or not, in either order: Ferry will not guess. Declare a structured hash, e.g. {"algorithm":"sha256","hash":{"value":"…","encoding":"hex"},"salt":{"value":"…","position":"prefix"}} (see docs/HASHES.md).';

/**
 * Reads a single-digest string into `draft` (see {@link StringHashFamily.draft}) when its
 * prefix names one family that can; undefined otherwise, and for anything
 * {@link parseStringHash} would refuse before asking a family.
 */
export function draftStringHash(hash: string, draft: SaltedDigestDraft): SaltedDigestDraft | undefined {
  if (hash.length === 0 || hash.length > 4096) return undefined;
  const byPrefix = BY_PREFIX.get(prefixOf(hash));
  return byPrefix?.length === 1 ? byPrefix[0]?.draft?.(hash, draft) : undefined;
}

/** Finds the family for a self-describing string and parses it. */
export function parseStringHash(hash: string, limits: HashCostLimits): ParsedHash {
  if (hash.length === 0) throw unsupported('an empty string', 'The user has no password hash: migrate them by trickle login or a password reset.');
  if (hash.length > 4096) throw unsupported('a value longer than 4096 characters', 'This is not a password hash; check the export column.');
  const byPrefix = BY_PREFIX.get(prefixOf(hash));
  // A prefix with one family is that family's claim by construction: no need to ask it.
  if (byPrefix?.length === 1) return (byPrefix[0] as StringHashFamily).parse(hash, limits);
  const family = (byPrefix ?? BY_FIRST_CHAR[hash.charAt(0)] ?? OTHER_FAMILIES).find((f) => f.claims(hash));
  if (family) return family.parse(hash, limits);
  if (/^[0-9a-fA-F]+$/.test(hash) || /^[A-Za-z0-9+/]+={0,2}$/.test(hash)) throw unsupported('a bare hex/base64 digest (ambiguous)', AMBIGUOUS_HINT);
  const id = /^(\$[a-z0-9-]+\$|\{[A-Za-z0-9-]+\}|[a-z0-9_]+\$)/.exec(hash)?.[1];
  throw unsupported(id === undefined ? 'an unrecognised format' : `the ${id} format`);
}
