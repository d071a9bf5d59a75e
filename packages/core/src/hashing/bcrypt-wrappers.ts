/**
 * Formats that wrap a bcrypt string: Django `bcrypt$` and `bcrypt_sha256$`, Spring
 * `{bcrypt}`, WordPress 6.8+ `$wp$`. Each only adds a prefix and, for two of them, a
 * pre-hash of the password; the bcrypt work is done by ./bcrypt.
 */
import { createHash, createHmac } from 'node:crypto';
import { parseBcrypt } from './bcrypt';
import { malformed } from './errors';
import type { StringHashFamily } from './parsed-hash';

/** Django `BCryptPasswordHasher`: `bcrypt$` + bcrypt string (the salt field is empty). */
export const djangoBcryptFamily: StringHashFamily = {
  claims: (hash) => hash.startsWith('bcrypt$'),
  parse: (hash, limits) => {
    if (!hash.startsWith('bcrypt$$2')) throw malformed('django-bcrypt', 'expected "bcrypt$" followed by a $2?$ bcrypt string');
    return parseBcrypt(hash.slice('bcrypt$'.length), limits, 'django-bcrypt');
  },
};

/**
 * Django `BCryptSHA256PasswordHasher`: bcrypt over the hex SHA-256 of the password, which
 * lifts bcrypt's 72-byte limit.
 */
export const djangoBcryptSha256Family: StringHashFamily = {
  claims: (hash) => hash.startsWith('bcrypt_sha256$'),
  parse: (hash, limits) => {
    if (!hash.startsWith('bcrypt_sha256$$2')) {
      throw malformed('django-bcrypt-sha256', 'expected "bcrypt_sha256$" followed by a $2?$ bcrypt string');
    }
    return parseBcrypt(hash.slice('bcrypt_sha256$'.length), limits, 'django-bcrypt-sha256', (password) =>
      Buffer.from(createHash('sha256').update(password, 'utf8').digest('hex'), 'latin1'),
    );
  },
};

/** Spring Security `DelegatingPasswordEncoder` with the `{bcrypt}` id. */
export const springBcryptFamily: StringHashFamily = {
  claims: (hash) => hash.startsWith('{bcrypt}'),
  parse: (hash, limits) => parseBcrypt(hash.slice('{bcrypt}'.length), limits, 'spring-bcrypt'),
};

/**
 * WordPress 6.8+: `$wp` + bcrypt of base64(HMAC-SHA384(key "wp-sha384", password)), a
 * pre-hash that lifts the 72-byte limit.
 */
export const wordpressBcryptFamily: StringHashFamily = {
  claims: (hash) => hash.startsWith('$wp$'),
  parse: (hash, limits) =>
    parseBcrypt(hash.slice('$wp'.length), limits, 'wordpress-bcrypt', (password) =>
      Buffer.from(createHmac('sha384', 'wp-sha384').update(password, 'utf8').digest('base64'), 'latin1'),
    ),
};
