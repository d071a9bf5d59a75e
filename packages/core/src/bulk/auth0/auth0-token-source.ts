/**
 * Management API access tokens from the client-credentials grant: fetched once, shared by
 * concurrent callers, and renewed shortly before they expire (or when the API refuses one).
 */
import { AuthError } from '../../errors';
import { type Clock, systemClock } from '../../http/clock';
import type { HttpClient } from '../../http/http-types';

/** Where and how to get tokens. */
export interface Auth0TokenSourceOptions {
  clientId: string;
  clientSecret: string;
  /** `https://{domain}/api/v2/`. */
  audience: string;
  /** Renew this long before expiry (capped at half the lifetime). Default 60000. */
  refreshMarginMs?: number | undefined;
  clock?: Clock | undefined;
}

interface CachedToken {
  value: string;
  renewAtMs: number;
}

/** A cached client-credentials token. */
export class Auth0TokenSource {
  private cached: CachedToken | undefined;
  private inFlight: Promise<CachedToken> | undefined;
  private readonly clock: Clock;
  /** Tokens obtained so far. */
  fetched = 0;

  constructor(
    private readonly http: HttpClient,
    private readonly options: Auth0TokenSourceOptions,
  ) {
    this.clock = options.clock ?? systemClock;
  }

  /** A token valid for a while yet. */
  async get(signal?: AbortSignal): Promise<string> {
    const cached = this.cached;
    if (cached !== undefined && this.clock.now() < cached.renewAtMs) return cached.value;
    this.inFlight ??= this.fetch(signal).finally(() => {
      this.inFlight = undefined;
    });
    return (await this.inFlight).value;
  }

  /** Drop `token` if it is the cached one (the API refused it). */
  invalidate(token: string): void {
    if (this.cached?.value === token) this.cached = undefined;
  }

  private async fetch(signal: AbortSignal | undefined): Promise<CachedToken> {
    const { clientId, clientSecret, audience } = this.options;
    const started = this.clock.now();
    const response = await this.http.post('/oauth/token', {
      json: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, audience },
      // The Authentication API has its own limits; keep its headers out of the Management API's quota.
      rateLimitKey: 'auth0-authentication',
      signal,
    });
    const text = response.text();
    if (!response.ok) {
      const body = safeJson(text);
      const error = typeof body.error === 'string' ? body.error : 'unknown';
      const description = typeof body.error_description === 'string' ? body.error_description.split(clientSecret).join('[redacted]') : '';
      throw new AuthError('auth0_token_refused', `Auth0 refused the client credentials (${response.status} ${error}${description === '' ? '' : `: ${description}`})`, {
        details: { status: response.status, error },
        hint: 'Check target.auth0.clientId and clientSecret, and that the application is authorized for the Management API of this domain.',
      });
    }
    const body = safeJson(text);
    if (typeof body.access_token !== 'string' || body.access_token === '') {
      throw new AuthError('auth0_token_refused', 'Auth0 answered the token request without an access token', { details: { status: response.status } });
    }
    const lifetimeMs = (typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 86_400) * 1000;
    const margin = Math.min(this.options.refreshMarginMs ?? 60_000, lifetimeMs / 2);
    this.fetched++;
    this.cached = { value: body.access_token, renewAtMs: started + lifetimeMs - margin };
    return this.cached;
  }
}

function safeJson(text: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
