/**
 * Okta's error bodies (`errorCode`, `errorSummary`, `errorLink`, `errorId`,
 * `errorCauses`) and the Ferry errors for answers the connector does not expect.
 * Messages carry codes and summaries only — never request bodies, so never a password.
 */
import { AuthError, ConfigError, DataError, type FerryError, type HttpResponse } from '@ferry/core';

/** An Okta API error body. */
export interface OktaErrorBody {
  errorCode?: string;
  errorSummary?: string;
  errorLink?: string;
  errorId?: string;
  errorCauses?: { errorSummary?: string }[];
}

/** An OAuth 2.0 error body (`/oauth2/…/v1/token`). */
export interface OAuthErrorBody {
  error?: string;
  error_description?: string;
}

/** Parse an error body without throwing: a proxy's HTML page yields `{}`. */
export function readErrorBody<T extends object>(res: HttpResponse): Partial<T> {
  try {
    const body: unknown = JSON.parse(res.text());
    return typeof body === 'object' && body !== null ? (body as Partial<T>) : {};
  } catch {
    return {};
  }
}

/** Okta error codes and OAuth error names look like this; anything else is not repeated. */
const SAFE_CODE = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * A FerryError for an Okta answer the calling flow has no meaning for. Only the status,
 * error code and errorId are repeated: summaries are server text that could echo the
 * request (and so a password) back.
 */
export function unexpectedResponse(what: string, res: HttpResponse): FerryError {
  const body = readErrorBody<OktaErrorBody & OAuthErrorBody>(res);
  const raw = body.errorCode ?? body.error;
  const code = typeof raw === 'string' && SAFE_CODE.test(raw) ? raw : undefined;
  const errorId = typeof body.errorId === 'string' && SAFE_CODE.test(body.errorId) ? body.errorId : undefined;
  const details = { status: res.status, errorCode: code, errorId };
  const said = `${what}: Okta answered HTTP ${res.status}${code === undefined ? '' : ` ${code}`}`;
  if (res.status === 401 && (code === 'E0000011' || code === 'invalid_client')) {
    return new AuthError('okta_credentials_invalid', `${said} (credentials refused)`, {
      hint: 'Check apiToken (an SSWS token that is not expired or revoked) and, for password_grant, clientId/clientSecret.',
      details,
    });
  }
  if (res.status === 403 && (code === 'E0000005' || code === 'E0000006')) {
    return new AuthError('okta_permission_denied', `${said} (forbidden)`, {
      hint: "The API token's admin needs at least read-only access to users.",
      details,
    });
  }
  if (res.status >= 300 && res.status < 400) {
    return new ConfigError('okta_redirected', `${said} (a redirect)`, {
      hint: 'Use the org URL itself (https://{yourOktaDomain}), not a custom login page or a vanity redirect.',
      details,
    });
  }
  if (res.status === 404 || code === 'unauthorized_client' || code === 'unsupported_grant_type' || code === 'invalid_scope') {
    return new ConfigError('okta_endpoint_unusable', `${said} (endpoint or grant not available)`, {
      hint: 'Check orgUrl, loginFlow and, for password_grant, that the app allows the Resource Owner Password grant and the authorization server exists.',
      details,
    });
  }
  return new DataError('okta_unexpected_response', said, {
    hint: "Okta answered in a way the connector does not handle; look the errorId up in Okta's System Log.",
    details,
  });
}
