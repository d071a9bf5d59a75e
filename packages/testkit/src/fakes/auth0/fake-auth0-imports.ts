/**
 * `POST /api/v2/jobs/users-imports`: the multipart body (parsed with the WHATWG
 * `Request.formData()` built into Node), payload validation, the users-file limit (413)
 * and the concurrent-jobs limit (429).
 */
import { apiError, type FakeAuth0Reply, tooManyJobs } from './fake-auth0-errors';
import type { FakeAuth0Jobs } from './fake-auth0-jobs';
import type { FakeAuth0Connection } from './fake-auth0-types';

const CONNECTION_ID = /^con_[A-Za-z0-9]{16}$/;

/** What an import request needs from the server. */
export interface ImportContext {
  connections: ReadonlyMap<string, FakeAuth0Connection>;
  jobs: FakeAuth0Jobs;
  maxConcurrentJobs: number;
  maxUsersFileBytes: number;
  failJob: (index: number, externalId: string | undefined) => string | undefined;
  onTooLarge: () => void;
  onTooManyJobs: () => void;
  onCreated: (active: number) => void;
}

function payloadError(message: string): FakeAuth0Reply {
  return apiError(400, `Payload validation error: '${message}'.`, 'invalid_body');
}

function readBoolean(form: FormData, name: string, fallback: boolean): boolean | FakeAuth0Reply {
  const value = form.get(name);
  if (value === null) return fallback;
  if (value === 'true' || value === 'false') return value === 'true';
  return payloadError(`Expected type boolean but found type string' on property ${name}`);
}

/** Handle one import request. */
export async function createImportJob(url: string, contentType: string | undefined, body: Buffer, ctx: ImportContext): Promise<FakeAuth0Reply> {
  if (!(contentType ?? '').startsWith('multipart/form-data')) return apiError(400, 'Bad Request: expected multipart/form-data', 'invalid_body');
  let form: FormData;
  try {
    form = await new Request(url, { method: 'POST', headers: { 'content-type': contentType ?? '' }, body }).formData();
  } catch {
    return apiError(400, 'Invalid multipart payload format', 'invalid_body');
  }
  const users = form.get('users');
  if (users === null) return payloadError('Missing required property: users');
  const connectionId = form.get('connection_id');
  if (typeof connectionId !== 'string') return payloadError('Missing required property: connection_id');
  if (!CONNECTION_ID.test(connectionId)) return payloadError(`String does not match pattern ^con_[A-Za-z0-9]{16}$' on property connection_id`);
  const upsert = readBoolean(form, 'upsert', false);
  if (typeof upsert !== 'boolean') return upsert;
  // Auth0 defaults this to true; Ferry always sends it.
  const sendCompletionEmail = readBoolean(form, 'send_completion_email', true);
  if (typeof sendCompletionEmail !== 'boolean') return sendCompletionEmail;
  const externalValue = form.get('external_id');
  const externalId = typeof externalValue === 'string' ? externalValue : undefined;

  const bytes = typeof users === 'string' ? Buffer.from(users, 'utf8') : Buffer.from(await users.arrayBuffer());
  if (bytes.length > ctx.maxUsersFileBytes) {
    ctx.onTooLarge();
    return apiError(413, `Payload content length greater than maximum allowed: ${ctx.maxUsersFileBytes}`);
  }
  const connection = ctx.connections.get(connectionId);
  if (connection === undefined) return apiError(400, 'The connection does not exist', 'inexistent_connection');
  let records: unknown;
  try {
    records = JSON.parse(bytes.toString('utf8'));
  } catch {
    return apiError(400, 'Users file must be a valid JSON array', 'invalid_body');
  }
  if (!Array.isArray(records)) return apiError(400, 'Users file must be a valid JSON array', 'invalid_body');

  const active = ctx.jobs.active();
  if (active >= ctx.maxConcurrentJobs) {
    ctx.onTooManyJobs();
    return tooManyJobs(active);
  }
  const job = ctx.jobs.create(
    { connectionId, connectionName: connection.name, externalId, upsert, sendCompletionEmail, records },
    (index) => ctx.failJob(index, externalId),
  );
  ctx.onCreated(active + 1);
  return {
    status: 202,
    body: {
      status: 'pending',
      type: 'users_import',
      created_at: new Date(job.createdAtMs).toISOString(),
      id: job.id,
      connection_id: connectionId,
      connection: connection.name,
      ...(externalId === undefined ? {} : { external_id: externalId }),
    },
  };
}
