/**
 * Django's legacy `md5$salt$hex` and `sha1$salt$hex` (digest of salt‖password), including
 * the unsalted `md5$$hex` / `sha1$$hex` forms.
 */
import { decodeHex } from './codecs';
import { malformed } from './errors';
import type { StringHashFamily } from './parsed-hash';
import { SaltedDigestHash } from './salted-digest';

function family(name: 'md5' | 'sha1'): StringHashFamily {
  const scheme = `django-${name}`;
  const size = SaltedDigestHash.sizeOf(name);
  return {
    claims: (hash) => hash.startsWith(`${name}$`),
    parse: (hash) => {
      const m = /^[a-z0-9]+\$([^$]*)\$([^$]*)$/.exec(hash);
      const hex = m?.[2] === undefined ? undefined : decodeHex(m[2]);
      if (!m || !hex || hex.length !== size) throw malformed(scheme, `expected ${name}$<salt>$<${size * 2} hex digits>`);
      return new SaltedDigestHash({
        scheme,
        digest: name,
        expected: hex,
        salt: Buffer.from(m[1] ?? '', 'utf8'),
        position: 'prefix',
        auth0Encoding: 'hex',
        auth0SaltEncoding: 'utf8',
      });
    },
  };
}

/** `md5$salt$hex`. */
export const djangoMd5Family = family('md5');

/** `sha1$salt$hex`. */
export const djangoSha1Family = family('sha1');
