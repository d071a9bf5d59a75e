/**
 * Who is calling `ferry serve`: a bearer JWT checked against the issuer's JWKS (or a
 * static key) with issuer, audience, algorithms, subject suffix and scopes all required
 * to match; or a static API key compared in constant time. {@link requireAuth} asks
 * before the request body is read.
 */
import { createHash, createPublicKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { JWTPayload, JWTVerifyGetKey, JWTVerifyOptions, KeyLike } from 'jose';
import { joseModule } from '../lazy-deps';
import { KeySetUnavailable, remoteKeySet } from './jwks-key-set';
import { errorBody } from './http-errors';
import type { ServeApiKey, ServeConfig, ServeRouteId } from './serve-config';
import type { ServeMetrics } from './serve-metrics';
import { VerifiedTokens } from './verified-tokens';

/** An authenticated caller. */
export interface Principal {
  /** Throttling and metrics key: the token subject, or `key:<name>`. */
  client: string;
  kind: 'jwt' | 'api_key';
  scopes: ReadonlySet<string>;
}

/**
 * The result of {@link Authenticator.authenticate}: a caller, or an HTTP refusal
 * (`retryAfterSec` when the caller is not at fault; `detail` for logs only).
 */
export type AuthResult =
  | { ok: true; principal: Principal }
  | { ok: false; status: 401 | 403 | 503; code: string; message: string; retryAfterSec?: number; detail?: string };

type VerifyKey = KeyLike | Uint8Array | JWTVerifyGetKey;

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Seconds a caller is asked to wait when the issuer's key set could not be fetched. */
const JWKS_RETRY_AFTER_SEC = 5;

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
      this.key = remoteKeySet(jwt.jwksUri, { cooldownMs: (jwt.jwksCooldownSec ?? 30) * 1000 });
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
      if (err instanceof KeySetUnavailable) {
        return { ok: false, status: 503, code: 'jwks_unavailable', message: "The token issuer's key set could not be fetched; retry shortly.", retryAfterSec: JWKS_RETRY_AFTER_SEC, detail: err.message };
      }
      return refuse(401, 'invalid_token', describeJoseError((err as { code?: string }).code ?? ''));
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

function refuse(status: 401 | 403, code: string, message: string): AuthResult {
  return { ok: false, status, code, message };
}

const principals = new WeakMap<FastifyRequest, Principal>();

/**
 * An `onRequest` hook that authenticates the caller for `route` or answers 401, 403 or
 * 503 (with `Retry-After`). It runs before the body is read, so an unauthenticated caller
 * never learns about body limits or the schema, and its body is never parsed.
 */
export function requireAuth(ctx: { auth: Authenticator; metrics: ServeMetrics }, route: ServeRouteId) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const result = await ctx.auth.authenticate(request.headers.authorization, route);
    if (result.ok) {
      principals.set(request, result.principal);
      return;
    }
    ctx.metrics.authFailures.inc({ code: result.code });
    if (result.status === 401) reply.header('www-authenticate', `Bearer error="${result.code === 'unauthenticated' ? 'invalid_request' : 'invalid_token'}"`);
    if (result.status === 403) reply.header('www-authenticate', 'Bearer error="insufficient_scope"');
    if (result.retryAfterSec !== undefined) reply.header('retry-after', String(result.retryAfterSec));
    if (result.detail !== undefined) request.log.warn({ code: result.code, detail: result.detail }, 'request refused: auth could not be checked');
    await reply.code(result.status).send(errorBody(result.code, result.message));
  };
}

/** The caller {@link requireAuth} accepted for this request. */
export function principalOf(request: FastifyRequest): Principal {
  const p = principals.get(request);
  if (p === undefined) throw new Error('route without requireAuth');
  return p;
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
