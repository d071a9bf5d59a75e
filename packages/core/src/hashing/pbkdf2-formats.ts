/**
 * Self-describing PBKDF2 strings: PHC/Kratos/Auth0 (`$pbkdf2-sha256$i=…,l=…$…`), passlib
 * (`$pbkdf2-sha256$rounds$ab64$ab64`), LDAP (`{PBKDF2-SHA256}rounds$ab64$ab64`), Django
 * (`pbkdf2_sha256$iter$salt$b64`) and Atlassian (`{PKCS5S2}`).
 */
import type { HashCostLimits } from '../contracts/password-hash';
import { decodeAb64, decodeBase64, parseDecimal } from './codecs';
import { DIGEST_SIZES, isDigestName, type DigestName } from './digest';
import { malformed, unsupported } from './errors';
import { makePbkdf2, type Pbkdf2Hash } from './pbkdf2';
import type { StringHashFamily } from './parsed-hash';

function digestFromSuffix(scheme: string, suffix: string | undefined): DigestName {
  const name = suffix === undefined || suffix === '' ? 'sha1' : suffix.toLowerCase();
  if (!isDigestName(name)) throw unsupported(`${scheme} with digest ${name}`);
  return name;
}

/** `$pbkdf2-<digest>$i=<iter>[,l=<len>]$<b64 salt>$<b64 hash>` (PHC, as Auth0 and Kratos write it). */
function parsePhc(hash: string, limits: HashCostLimits): Pbkdf2Hash {
  const m = /^\$pbkdf2-([a-z0-9]+)\$([^$]*)\$([^$]*)\$([^$]*)$/.exec(hash);
  if (!m) throw malformed('pbkdf2', 'expected $pbkdf2-<digest>$i=…,l=…$<salt>$<hash>');
  const [, digestText, paramText, saltText, hashText] = m as unknown as [string, string, string, string, string];
  const digest = digestFromSuffix('pbkdf2', digestText);
  const scheme = `pbkdf2-${digest}`;
  const params = new Map<string, string>();
  for (const pair of paramText.split(',')) {
    const [key, value, ...rest] = pair.split('=');
    if (key === undefined || value === undefined || rest.length > 0 || params.has(key) || (key !== 'i' && key !== 'l')) {
      throw malformed(scheme, 'parameters must be i=<iterations> and optionally l=<key length>');
    }
    params.set(key, value);
  }
  const iterationsText = params.get('i');
  const iterations = iterationsText === undefined ? undefined : parseDecimal(iterationsText);
  const salt = decodeBase64(saltText, 'optional');
  const key = decodeBase64(hashText, 'optional');
  const lengthText = params.get('l');
  if (lengthText !== undefined && key !== undefined && parseDecimal(lengthText) !== key.length) {
    throw malformed(scheme, 'l= does not match the length of the hash');
  }
  return makePbkdf2(scheme, digest, iterations, salt, key, limits);
}

/** passlib `$pbkdf2[-sha256|-sha512]$<rounds>$<ab64 salt>$<ab64 hash>` and its LDAP twin. */
function parsePasslibBody(scheme: string, digest: DigestName, body: string, limits: HashCostLimits): Pbkdf2Hash {
  const m = /^([^$]*)\$([^$]*)\$([^$]*)$/.exec(body);
  if (!m) throw malformed(scheme, 'expected <rounds>$<ab64 salt>$<ab64 hash>');
  const [, roundsText, saltText, hashText] = m as unknown as [string, string, string, string];
  const key = decodeAb64(hashText);
  if (key !== undefined && key.length !== DIGEST_SIZES[digest]) throw malformed(scheme, `the hash must be ${DIGEST_SIZES[digest]} bytes`);
  return makePbkdf2(scheme, digest, parseDecimal(roundsText), decodeAb64(saltText), key, limits);
}

/** PHC and passlib PBKDF2 strings share the `$pbkdf2` prefix; `i=` tells them apart. */
export const pbkdf2DollarFamily: StringHashFamily = {
  claims: (hash) => /^\$pbkdf2(-[a-z0-9]+)?\$/.test(hash),
  parse: (hash, limits) => {
    if (/^\$pbkdf2-[a-z0-9]+\$i=/.test(hash)) return parsePhc(hash, limits);
    const m = /^\$pbkdf2(?:-(sha256|sha512))?\$(.*)$/s.exec(hash);
    if (!m) throw malformed('passlib-pbkdf2', 'expected $pbkdf2$, $pbkdf2-sha256$ or $pbkdf2-sha512$');
    const digest = digestFromSuffix('passlib-pbkdf2', m[1]);
    return parsePasslibBody(`passlib-pbkdf2-${digest}`, digest, m[2] ?? '', limits);
  },
};

/** LDAP `{PBKDF2}`, `{PBKDF2-SHA256}`, `{PBKDF2-SHA512}` (passlib's ldap_pbkdf2_*). */
export const ldapPbkdf2Family: StringHashFamily = {
  claims: (hash) => /^\{PBKDF2(-[A-Z0-9]+)?\}/i.test(hash),
  parse: (hash, limits) => {
    const m = /^\{PBKDF2(?:-(SHA1|SHA256|SHA512))?\}(.*)$/is.exec(hash);
    if (!m) throw unsupported('this LDAP {PBKDF2-…} digest');
    const digest = digestFromSuffix('ldap-pbkdf2', m[1]);
    return parsePasslibBody(`ldap-pbkdf2-${digest}`, digest, m[2] ?? '', limits);
  },
};

/** Django `pbkdf2_sha256$<iter>$<salt text>$<b64 hash>` and `pbkdf2_sha1$…`. */
export const djangoPbkdf2Family: StringHashFamily = {
  claims: (hash) => /^pbkdf2_sha(1|256)\$/.test(hash),
  parse: (hash, limits) => {
    const m = /^pbkdf2_(sha1|sha256)\$([^$]*)\$([^$]*)\$([^$]*)$/.exec(hash);
    const scheme = `django-pbkdf2-${hash.startsWith('pbkdf2_sha1') ? 'sha1' : 'sha256'}`;
    if (!m) throw malformed(scheme, 'expected pbkdf2_<digest>$<iterations>$<salt>$<base64 hash>');
    const [, digestText, iterText, saltText, hashText] = m as unknown as [string, DigestName, string, string, string];
    if (saltText === '') throw malformed(scheme, 'the salt is empty');
    const key = decodeBase64(hashText, 'required');
    if (key !== undefined && key.length !== DIGEST_SIZES[digestText]) throw malformed(scheme, `the hash must be ${DIGEST_SIZES[digestText]} bytes`);
    return makePbkdf2(scheme, digestText, parseDecimal(iterText), Buffer.from(saltText, 'utf8'), key, limits);
  },
};

/** Atlassian (Jira/Confluence/Crowd) `{PKCS5S2}`: base64(16-byte salt ‖ 32-byte key), SHA-1, 10,000 rounds. */
export const atlassianPbkdf2Family: StringHashFamily = {
  claims: (hash) => hash.startsWith('{PKCS5S2}'),
  parse: (hash, limits) => {
    const blob = decodeBase64(hash.slice('{PKCS5S2}'.length), 'required');
    if (!blob || blob.length !== 48) throw malformed('atlassian-pbkdf2-sha1', 'expected base64 of exactly 48 bytes (16 salt + 32 key)');
    return makePbkdf2('atlassian-pbkdf2-sha1', 'sha1', 10000, blob.subarray(0, 16), blob.subarray(16), limits);
  },
};
