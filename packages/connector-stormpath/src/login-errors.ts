/**
 * Stormpath's documented login-attempt failure codes (errors.rst, 7XXX: Account) and
 * what each means for a migration.
 */
import type { LoginFailureReason } from '@ferry/core';

/** loginAttempts error code → Ferry's typed login failure. */
export const LOGIN_FAILURES: Readonly<Record<number, LoginFailureReason>> = {
  7100: 'invalid_credentials', // wrong password
  7101: 'disabled', // account disabled
  7102: 'unverified', // account not verified
  7103: 'locked', // account locked
  7104: 'not_found', // no account in the application's account stores
  7105: 'disabled', // the account's group is disabled
  7106: 'disabled', // the account's directory is disabled
  7107: 'disabled', // the account's organization is disabled
};

/** The Stormpath error body: `{status, code, message, developerMessage, moreInfo, requestId?}`. */
export interface StormpathErrorBody {
  status?: number;
  code?: number;
  message?: string;
  developerMessage?: string;
  moreInfo?: string;
  requestId?: string;
}

/** Read an error body defensively; a proxy in front of the API may answer with HTML. */
export function readErrorBody(text: string): StormpathErrorBody {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as StormpathErrorBody) : {};
  } catch {
    return {};
  }
}
