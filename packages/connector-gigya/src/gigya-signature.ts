/**
 * Gigya's request signature (the SDKs' `SigUtils`/`GSRequest`): base string
 * `POST&` + enc(normalized URL) + `&` + enc(sorted `k=enc(v)` pairs joined by `&`),
 * signed with HMAC-SHA1 keyed by the base64-decoded secret; `sig` is base64.
 */
import { createHmac, randomBytes } from 'node:crypto';

/** RFC 3986 percent-encoding, as Gigya's SDKs produce it (`!'()*` encoded, `~` kept). */
export function gigyaEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Scheme and host lower-cased, default port dropped, path kept, no query. */
export function normalizeUrl(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host.toLowerCase()}${u.pathname}`;
}

/** The base string Gigya signs for a POST of `params` to `url`. */
export function signatureBaseString(url: string, params: Readonly<Record<string, string>>): string {
  const pairs = Object.keys(params)
    .sort()
    .map((k) => `${gigyaEncode(k)}=${gigyaEncode(params[k] as string)}`)
    .join('&');
  return `POST&${gigyaEncode(normalizeUrl(url))}&${gigyaEncode(pairs)}`;
}

/** `sig` for `params` (which must already hold `timestamp` and `nonce`). */
export function gigyaSignature(secret: string, url: string, params: Readonly<Record<string, string>>): string {
  return createHmac('sha1', Buffer.from(secret, 'base64')).update(signatureBaseString(url, params), 'utf8').digest('base64');
}

/** `params` plus `timestamp`, a fresh `nonce` and `sig`; the secret itself is not added. */
export function signParams(secret: string, url: string, params: Readonly<Record<string, string>>, nowMs = Date.now()): Record<string, string> {
  const signed: Record<string, string> = { ...params, timestamp: String(Math.floor(nowMs / 1000)), nonce: `${nowMs}${randomBytes(8).toString('hex')}` };
  signed.sig = gigyaSignature(secret, url, signed);
  return signed;
}
