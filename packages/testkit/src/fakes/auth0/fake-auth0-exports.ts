/**
 * `POST /api/v2/jobs/users-exports`: an export job that, once completed, points
 * (`location`) at a gzipped file of the connection's users, one JSON object per line
 * with the requested fields — served unauthenticated, like Auth0's pre-signed URL.
 */
import { gzipSync } from 'node:zlib';
import { apiError, type FakeAuth0Reply } from './fake-auth0-errors';
import { newJobId } from './fake-auth0-jobs';
import type { FakeAuth0Connection } from './fake-auth0-types';
import type { FakeAuth0StoredUser, FakeAuth0UserTable } from './fake-auth0-users';

interface ExportJob {
  id: string;
  connection: FakeAuth0Connection;
  format: 'json' | 'csv';
  fields: { name: string }[];
  createdAtMs: number;
  readyAtMs: number;
  file?: Buffer;
}

function field(user: FakeAuth0StoredUser, name: string): unknown {
  if (name === 'user_id' || name === 'email' || name === 'username' || name === 'email_verified') return user[name];
  return user.profile[name];
}

/** Export jobs of the fake tenant. */
export class FakeAuth0Exports {
  private readonly jobs = new Map<string, ExportJob>();

  constructor(
    private readonly connections: ReadonlyMap<string, FakeAuth0Connection>,
    private readonly tables: ReadonlyMap<string, FakeAuth0UserTable>,
    private readonly durationMs: number,
  ) {}

  /** Handle `POST /api/v2/jobs/users-exports`. */
  create(raw: string, nowMs = Date.now()): FakeAuth0Reply {
    let body: { connection_id?: unknown; format?: unknown; fields?: unknown };
    try {
      body = JSON.parse(raw === '' ? '{}' : raw) as typeof body;
    } catch {
      return apiError(400, 'Invalid request payload JSON format', 'invalid_body');
    }
    const connection = typeof body.connection_id === 'string' ? this.connections.get(body.connection_id) : undefined;
    if (body.connection_id !== undefined && connection === undefined) return apiError(400, 'The connection does not exist', 'inexistent_connection');
    const target = connection ?? [...this.connections.values()][0];
    if (target === undefined) return apiError(400, 'The connection does not exist', 'inexistent_connection');
    const format = body.format === 'csv' ? 'csv' : 'json';
    const fields = Array.isArray(body.fields) ? (body.fields as { name: string }[]) : [{ name: 'user_id' }, { name: 'email' }];
    const job: ExportJob = { id: newJobId(), connection: target, format, fields, createdAtMs: nowMs, readyAtMs: nowMs + this.durationMs };
    this.jobs.set(job.id, job);
    return { status: 201, body: this.view(job, '', nowMs) };
  }

  /** The export job, if `id` is one. */
  has(id: string): boolean {
    return this.jobs.has(id);
  }

  /** `GET /api/v2/jobs/{id}` of an export job; `baseUrl` builds the download location. */
  get(id: string, baseUrl: string, nowMs = Date.now()): FakeAuth0Reply {
    const job = this.jobs.get(id);
    return job === undefined ? apiError(404, 'The job does not exist.', 'inexistent_job') : { status: 200, body: this.view(job, baseUrl, nowMs) };
  }

  /** The gzipped export file of a completed job. */
  download(id: string, nowMs = Date.now()): Buffer | undefined {
    const job = this.jobs.get(id);
    if (job === undefined || nowMs < job.readyAtMs) return undefined;
    job.file ??= this.render(job);
    return job.file;
  }

  private view(job: ExportJob, baseUrl: string, nowMs: number): Record<string, unknown> {
    const done = nowMs >= job.readyAtMs;
    return {
      status: done ? 'completed' : 'pending',
      type: 'users_export',
      created_at: new Date(job.createdAtMs).toISOString(),
      id: job.id,
      connection_id: job.connection.id,
      connection: job.connection.name,
      format: job.format,
      fields: job.fields,
      ...(done ? { location: `${baseUrl}/exports/${job.id}.${job.format}.gz` } : {}),
    };
  }

  private render(job: ExportJob): Buffer {
    const users = this.tables.get(job.connection.id)?.all() ?? [];
    const names = job.fields.map((f) => f.name);
    const lines =
      job.format === 'json'
        ? users.map((u) => JSON.stringify(Object.fromEntries(names.map((n) => [n, field(u, n)]).filter(([, v]) => v !== undefined))))
        : [names.join(','), ...users.map((u) => names.map((n) => JSON.stringify(field(u, n) ?? '')).join(','))];
    return gzipSync(`${lines.join('\n')}\n`);
  }
}
