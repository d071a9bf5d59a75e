/**
 * Who is calling `ferry serve`: a bearer JWT checked against the issuer's JWKS (or a
 * static key) with issuer, audience, algorithms, subject suffix and scopes all required
 * to match; or a static API key compared in constant time.
 */
import { createHash, createPublicKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { JWTPayload, JWTVerifyGetKey, JWTVerifyOptions, KeyLike } from 'jose';
import { joseModule } from '../lazy-deps';
import type { ServeApiKey, ServeConfig, ServeRouteId } from './serve-config';
import { VerifiedTokens } from './verified-tokens';

/** An authenticated caller. */
export interface Principal {
  /** Throttling and metrics key: the token subject, or `key:<name>`. */
  client: string;
  kind: 'jwt' | 'api_key';
  scopes: ReadonlySet<string>;
}

/** The result of {@link Authenticator.authenticate}: a caller, or an HTTP refusal. */
export type AuthResult =
  | { ok: true; principal: Principal }
  | { ok: false; status: 401 | 403 | 503; code: string; message: string };

type VerifyKey = KeyLike | Uint8Array | JWTVerifyGetKey;

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Checks `Authorization` headers against `serve.auth`. One per server. */
export class Authenticator {
  private readonly key: VerifyKey | undefined;
  private readonly apiKeys: { name: string; digest: Buffer; scopes: ReadonlySet<string> }[];

  /** @param verified where verified bearer tokens are remembered (tests pass their own to look inside). */
  constructor(
    private readonly auth: ServeConfig['auth'],
    private readonly verified = new VerifiedTokens(),
  ) {
    const jwt = auth.jwt;
    if (jwt?.jwksUri !== undefined) {
      // jose caches the set and refetches it for an unknown `kid` (key rotation), at most once per cooldown.
      this.key = joseModule().createRemoteJWKSet(new URL(jwt.jwksUri), { cacheMaxAge: 10 * 60_000, cooldownDuration: (jwt.jwksCooldownSec ?? 30) * 1000, timeoutDuration: 5000 });
    } else if (jwt?.publicKey !== undefined) {
      this.key = createPublicKey(jwt.publicKey) satisfies KeyObject;
    } else if (jwt?.secret !== undefined) {
      this.key = new TextEncoder().encode(jwt.secret);
    }
    this.apiKeys = (auth.apiKeys ?? []).map((k: ServeApiKey) => ({ name: k.name, digest: digest(k.key), scopes: new Set(k.scopes ?? []) }));
  }

  /** Authenticate a request's `Authorization` header and check the scopes `route` needs. */
  async authenticate(header: string | undefined, route: ServeRouteId): Promise<AuthResult> {
    const result = await this.identify(header);
    if (!result.ok) return result;
    const needed = this.auth.scopes?.[route] ?? [];
    const missing = needed.filter((s) => !result.principal.scopes.has(s));
    if (missing.length > 0) {
      return { ok: false, status: 403, code: 'insufficient_scope', message: `This route needs the scope(s): ${missing.join(' ')}.` };
    }
    return result;
  }

  private async identify(header: string | undefined): Promise<AuthResult> {
    if (header === undefined || header.trim() === '') return refuse(401, 'unauthenticated', 'Send a bearer token or an API key in the Authorization header.');
    const [scheme = '', ...rest] = header.trim().split(/\s+/);
    const value = rest.join(' ');
    if (/^bearer$/i.test(scheme)) {
      if (this.auth.jwt !== undefined && /^[\w-]*\.[\w-]*\.[\w-]*$/.test(value)) return this.verifyJwt(value);
      return this.matchKey(value);
    }
    if (/^basic$/i.test(scheme)) {
      // Keycloak's plugin and Kratos webhooks can send Basic credentials: the password is the key.
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      return this.matchKey(colon === -1 ? decoded : decoded.slice(colon + 1));
    }
    // Okta inline hooks send the configured secret as the raw header value.
    return this.matchKey(header.trim());
  }

  /** Compare against every key, always all of them, in constant time per key. */
  private matchKey(candidate: string): AuthResult {
    const d = digest(candidate);
    let found: (typeof this.apiKeys)[number] | undefined;
    for (const k of this.apiKeys) if (timingSafeEqual(d, k.digest) && found === undefined) found = k;
    if (found === undefined) return refuse(401, 'invalid_credentials_for_api', 'The API key or token was not accepted.');
    return { ok: true, principal: { client: `key:${found.name}`, kind: 'api_key', scopes: found.scopes } };
  }

  private async verifyJwt(token: string): Promise<AuthResult> {
    const jwt = this.auth.jwt;
    if (jwt === undefined || this.key === undefined) return refuse(401, 'invalid_token', 'Bearer tokens are not accepted here.');
    const known = this.verified.get(token);
    if (known !== undefined) return { ok: true, principal: known };
    let payload: JWTPayload;
    try {
      const key = this.key;
      const options: JWTVerifyOptions = {
        issuer: jwt.issuer,
        audience: jwt.audience,
        algorithms: jwt.algorithms,
        clockTolerance: jwt.clockToleranceSec ?? 5,
        requiredClaims: ['exp', 'sub'],
      };
      const { jwtVerify } = joseModule();
      const verified = typeof key === 'function' ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options);
      payload = verified.payload;
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      if (code === 'ERR_JWKS_TIMEOUT') return refuse(503, 'jwks_unavailable', "The token issuer's key set could not be fetched; retry shortly.");
      return refuse(401, 'invalid_token', describeJoseError(code));
    }
    const suffix = jwt.subjectSuffix ?? '@clients';
    if (typeof payload.sub !== 'string' || !payload.sub.endsWith(suffix)) {
      return refuse(403, 'subject_not_allowed', `Only client-credentials tokens (subject ending with '${suffix}') may call this API.`);
    }
    const principal: Principal = { client: payload.sub, kind: 'jwt', scopes: scopesOf(payload) };
    this.verified.set(token, principal, payload.exp);
    return { ok: true, principal };
  }
}

function refuse(status: 401 | 403 | 503, code: string, message: string): AuthResult {
  return { ok: false, status, code, message };
}

/** Scopes from `scope` (space-separated), `scp` (array or string) and Auth0's `permissions`. */
export function scopesOf(payload: JWTPayload): Set<string> {
  const out = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v === 'string') for (const s of v.split(' ')) if (s) out.add(s);
    if (Array.isArray(v)) for (const s of v) if (typeof s === 'string') out.add(s);
  };
  add(payload.scope);
  add(payload.scp);
  add(payload.permissions);
  return out;
}

function describeJoseError(code: string): string {
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'The token has expired.';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return 'The token was issued for another issuer or audience, or lacks a required claim.';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return 'The token is signed with an algorithm this API does not accept.';
    default:
      return 'The token could not be verified.';
  }
}
