/**
 * `POST /oauth/token` with the client-credentials grant: JSON or form bodies, Auth0's
 * OAuth error bodies, opaque tokens that expire.
 */
import { randomBytes } from 'node:crypto';
import { type FakeAuth0Reply, oauthError } from './fake-auth0-errors';

/** Issued tokens and the clients allowed to get them. */
export class FakeAuth0Tokens {
  private readonly tokens = new Map<string, number>();
  issued = 0;

  constructor(
    private readonly clients: readonly { clientId: string; clientSecret: string }[],
    private readonly audience: string,
    private readonly lifetimeSeconds: number,
  ) {}

  /** Answer a token request. */
  grant(contentType: string | undefined, raw: string, nowMs = Date.now()): FakeAuth0Reply {
    let params: Record<string, unknown>;
    try {
      params = (contentType ?? '').includes('application/json') ? (JSON.parse(raw) as Record<string, unknown>) : Object.fromEntries(new URLSearchParams(raw));
    } catch {
      return oauthError(400, 'invalid_request', 'Invalid JSON body');
    }
    if (params.grant_type !== 'client_credentials') {
      return oauthError(403, 'unauthorized_client', `Grant type '${String(params.grant_type)}' not allowed for the client.`);
    }
    const client = this.clients.find((c) => c.clientId === params.client_id);
    if (client === undefined || client.clientSecret !== params.client_secret) return oauthError(401, 'access_denied', 'Unauthorized');
    if (params.audience !== this.audience) return oauthError(403, 'access_denied', `Service not enabled within domain: ${String(params.audience)}`);
    const token = randomBytes(32).toString('base64url');
    this.tokens.set(token, nowMs + this.lifetimeSeconds * 1000);
    this.issued++;
    return { status: 200, body: { access_token: token, scope: 'read:users create:users', expires_in: this.lifetimeSeconds, token_type: 'Bearer' } };
  }

  /** `valid`, `expired` or `unknown`. */
  check(token: string, nowMs = Date.now()): 'valid' | 'expired' | 'unknown' {
    const expiresAt = this.tokens.get(token);
    if (expiresAt === undefined) return 'unknown';
    return nowMs < expiresAt ? 'valid' : 'expired';
  }

  /** Tokens issued and not revoked (for tests that prove tokens never leak). */
  list(): string[] {
    return [...this.tokens.keys()];
  }

  /** Forget every issued token (as if the signing key rotated). */
  revokeAll(): void {
    this.tokens.clear();
  }
}
