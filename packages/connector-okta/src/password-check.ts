/**
 * What both login flows (authn and the password grant) tell the connector: whether
 * Okta accepted the password, which user it was, and the flags of the transaction.
 */
import type { LoginFailureReason, LoginFlags } from '@ferry/core';

/** The result of checking a password with Okta. */
export type PasswordCheck =
  /** The password is right. `user` is an Okta user id or login to read the full user with. */
  | { verified: true; user: string; flags?: LoginFlags }
  | { verified: false; reason: LoginFailureReason; message?: string };
