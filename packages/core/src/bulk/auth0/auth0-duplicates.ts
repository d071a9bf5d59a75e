/**
 * What a DUPLICATED_USER means. Auth0 gives that code for a user already in the tenant,
 * for an email (or username, or user_id) held by someone else — a native sign-up, another
 * legacy user — and for a repeat inside one file; its errors endpoint does not say which.
 * Only the first is a user to skip. Two immediately consistent lookups tell them apart:
 * `GET /api/v2/users-by-email` first (the legacy user is there when the email belongs to
 * `auth0|{user_id}` in the job's connection), then, when that does not settle it,
 * `GET /api/v2/users/{id}`: the user may be there under another email (changed in Auth0 or
 * in legacy since). At most two lookups per such user, paced by the client like every call.
 */
import type { Auth0TenantUser, Auth0UserError, Auth0UserVerdict } from './auth0-types';

/** How to look users up, and where the job imported them. */
export interface DuplicateLookup {
  /** The tenant's users with exactly this email. */
  usersByEmail: (email: string) => Promise<Auth0TenantUser[]>;
  /** The tenant's user with this `user_id` (`auth0|…`), undefined when there is none: finds a user whose email changed in the tenant. */
  userById: (userId: string) => Promise<Auth0TenantUser | undefined>;
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

/** Whether a user with this verdict is already in the tenant: skipped, not rejected. */
export function isAlreadyThere(verdict: Auth0UserVerdict | undefined): boolean {
  return verdict === 'already_in_tenant' || verdict === 'already_imported_by_interrupted_job';
}

/** How many of `errors` are users found already in the tenant (skipped, not rejected). */
export function alreadyThere(errors: readonly Auth0UserError[]): number {
  return errors.filter((e) => isAlreadyThere(e.verdict)).length;
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
  if (holders.some((u) => u.user_id === id && inConnection(u, lookup.connection))) {
    return { ...error, verdict: 'already_in_tenant', message: `Already in Auth0 as ${id} (same email and user_id); ${said}` };
  }
  // A user_id is unique across the tenant: listed by email, it is in another connection;
  // not listed, it may still be there under another email.
  const byId = holders.find((u) => u.user_id === id) ?? (await lookup.userById(id));
  const others = holders.filter((u) => u.user_id !== id);
  if (byId !== undefined && inConnection(byId, lookup.connection)) {
    const email = byId.email === undefined ? 'no email' : `the email ${byId.email}`;
    return { ...error, verdict: 'already_in_tenant', message: `Already in Auth0 as ${id} (same user_id and connection, but with ${email} there); ${said}` };
  }
  if (byId !== undefined) {
    const also = others.length > 0 ? `; the email also belongs to ${list(others)}` : '';
    return { ...error, verdict: 'duplicated_user', message: `Not imported: ${id} is already in the tenant, but in another connection (${connectionsOf(byId)}), and a user_id can be held only once per tenant${also}; ${said}` };
  }
  if (others.length > 0) {
    return { ...error, verdict: 'email_in_use', message: `Not imported: the email belongs to another Auth0 user (${list(others)}), not to ${id}; ${said}` };
  }
  const why = 'no user has this email or user_id, so its username belongs to someone else';
  return { ...error, verdict: 'duplicated_user', message: `${EXISTS}; ${why}; ${said}` };
}

function inConnection(user: Auth0TenantUser, connection: string | undefined): boolean {
  return connection === undefined || user.identities === undefined || user.identities.some((i) => i.connection === connection);
}

function list(users: readonly Auth0TenantUser[]): string {
  return users.slice(0, 3).map((u) => u.user_id).join(', ') + (users.length > 3 ? ', …' : '');
}

function connectionsOf(user: Auth0TenantUser): string {
  const names = (user.identities ?? []).flatMap((i) => (i.connection === undefined ? [] : [i.connection]));
  return names.length > 0 ? names.join(', ') : 'connection not given';
}
