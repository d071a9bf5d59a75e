/**
 * What a DUPLICATED_USER means. Auth0 gives that code for a user already in the tenant,
 * for an email (or username, or user_id) held by someone else — a native sign-up, another
 * legacy user — and for a repeat inside one file; its errors endpoint does not say which.
 * Only the first is a user to skip. `GET /api/v2/users-by-email` (immediately consistent)
 * tells them apart: the legacy user is there when the email belongs to `auth0|{user_id}`
 * in the job's connection. One lookup per such user, paced by the client like every call.
 */
import type { Auth0TenantUser, Auth0UserError } from './auth0-types';

/** How to look users up, and where the job imported them. */
export interface DuplicateLookup {
  /** The tenant's users with exactly this email. */
  usersByEmail: (email: string) => Promise<Auth0TenantUser[]>;
  /** The connection's name (the job's `connection`), when Auth0 gave it. */
  connection: string | undefined;
}

/**
 * `errors` with a verdict on each user whose only error is DUPLICATED_USER and that has
 * none yet (a verdict on a resent file's duplicates stays as it is). Other errors are
 * returned unchanged.
 */
export async function judgeDuplicates(errors: Auth0UserError[], lookup: DuplicateLookup): Promise<Auth0UserError[]> {
  const judged: Auth0UserError[] = [];
  for (const error of errors) judged.push(onlyDuplicate(error) && error.verdict === undefined ? await judge(error, lookup) : error);
  return judged;
}

/** How many of `errors` are users found already in the tenant (skipped, not rejected). */
export function alreadyThere(errors: readonly Auth0UserError[]): number {
  return errors.filter((e) => e.verdict === 'already_in_tenant' || e.verdict === 'already_imported_by_interrupted_job').length;
}

function onlyDuplicate(error: Auth0UserError): boolean {
  return error.code === 'DUPLICATED_USER' && (error.codes ?? []).every((code) => code === 'DUPLICATED_USER');
}

const EXISTS = 'Not imported: Auth0 says a user with this email, username or user_id is already in the tenant or earlier in the file';

async function judge(error: Auth0UserError, lookup: DuplicateLookup): Promise<Auth0UserError> {
  const said = `Auth0 said: ${error.message}`;
  if (error.email === undefined || error.user_id === undefined) {
    const missing = error.email === undefined ? 'an email' : 'a user_id';
    return { ...error, verdict: 'duplicated_user', message: `${EXISTS}, and without ${missing} Ferry cannot tell whether it is this user; ${said}` };
  }
  // Auth0 keeps its database users' emails in lower case and matches them exactly.
  const holders = await lookup.usersByEmail(error.email.toLowerCase());
  const id = `auth0|${error.user_id}`;
  const same = holders.find((u) => u.user_id === id && inConnection(u, lookup.connection));
  if (same !== undefined) return { ...error, verdict: 'already_in_tenant', message: `Already in Auth0 as ${id} (same email and user_id); ${said}` };
  if (holders.length > 0) {
    const others = holders.slice(0, 3).map((u) => u.user_id).join(', ') + (holders.length > 3 ? ', …' : '');
    return { ...error, verdict: 'email_in_use', message: `Not imported: the email belongs to another Auth0 user (${others}), not to ${id}; ${said}` };
  }
  return { ...error, verdict: 'duplicated_user', message: `${EXISTS}; no user has this email, so its username or user_id belongs to someone else; ${said}` };
}

function inConnection(user: Auth0TenantUser, connection: string | undefined): boolean {
  return connection === undefined || user.identities === undefined || user.identities.some((i) => i.connection === connection);
}
