/**
 * Import jobs of the fake tenant: states that follow the clock (`pending`, then
 * `processing`, then `completed` or `failed`; a job not completed 2 hours after creation
 * fails; every job is deleted after the retention, 24 hours), applied to the connection's
 * users in the order they finish. Auth0's `expired` state is never reached by an import job.
 */
import { randomBytes } from 'node:crypto';
import type { FakeAuth0JobStatus, FakeAuth0JobSummary, FakeAuth0JobTiming, FakeAuth0UserError } from './fake-auth0-types';
import type { FakeAuth0StoredUser, FakeAuth0UserTable } from './fake-auth0-users';

/** One import job. */
export interface FakeAuth0Job {
  id: string;
  index: number;
  connectionId: string;
  connectionName: string;
  externalId: string | undefined;
  upsert: boolean;
  sendCompletionEmail: boolean;
  createdAtMs: number;
  startsAtMs: number;
  endsAtMs: number;
  records: unknown[];
  /** Set when the job must fail as a whole. */
  failWith: string | undefined;
  status: FakeAuth0JobStatus;
  summary?: FakeAuth0JobSummary;
  errors?: FakeAuth0UserError[];
}

/** `status_details` of a job failed for not completing within the limit (Ferry's wording; Auth0 documents only the limit). */
export const FAILED_AFTER_LIMIT = 'The job did not complete within 2 hours and was failed.';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `job_` + 16 letters and digits, Auth0's format. */
export function newJobId(): string {
  return `job_${[...randomBytes(16)].map((b) => ALNUM[b % ALNUM.length]).join('')}`;
}

/** The jobs of a tenant. */
export class FakeAuth0Jobs {
  private readonly jobs = new Map<string, FakeAuth0Job>();
  private created = 0;
  private readonly timing: Required<FakeAuth0JobTiming>;

  constructor(
    timing: FakeAuth0JobTiming,
    private readonly tables: ReadonlyMap<string, FakeAuth0UserTable>,
    private readonly redact: boolean,
    private readonly now: () => number = Date.now,
  ) {
    this.timing = {
      pendingMs: timing.pendingMs ?? 200,
      processingMs: timing.processingMs ?? 500,
      failAfterMs: timing.failAfterMs ?? 2 * 3600_000,
      retentionMs: timing.retentionMs ?? 24 * 3600_000,
    };
  }

  /** Jobs pending or processing at `nowMs`. */
  active(nowMs = this.now()): number {
    this.advance(nowMs);
    let count = 0;
    for (const job of this.jobs.values()) if (job.status === 'pending' || job.status === 'processing') count++;
    return count;
  }

  /** Create a pending job. */
  create(input: Pick<FakeAuth0Job, 'connectionId' | 'connectionName' | 'externalId' | 'upsert' | 'sendCompletionEmail' | 'records'>, failWith: (index: number) => string | undefined, nowMs = this.now()): FakeAuth0Job {
    const index = this.created++;
    const startsAtMs = nowMs + this.timing.pendingMs;
    const job: FakeAuth0Job = { ...input, id: newJobId(), index, createdAtMs: nowMs, startsAtMs, endsAtMs: startsAtMs + this.timing.processingMs, failWith: failWith(index), status: 'pending' };
    this.jobs.set(job.id, job);
    return job;
  }

  /** The job, as of `nowMs` (undefined once deleted). */
  get(id: string, nowMs = this.now()): FakeAuth0Job | undefined {
    this.advance(nowMs);
    return this.jobs.get(id);
  }

  /** Move every job to its state at `nowMs`, finishing jobs in the order they end. */
  advance(nowMs = this.now()): void {
    const finishing = [...this.jobs.values()].filter((job) => (job.status === 'pending' || job.status === 'processing') && this.endOf(job) <= nowMs).sort((a, b) => this.endOf(a) - this.endOf(b) || a.index - b.index);
    for (const job of finishing) this.finish(job);
    for (const job of this.jobs.values()) {
      if (job.createdAtMs + this.timing.retentionMs <= nowMs) this.jobs.delete(job.id);
      else if (job.status === 'pending' && job.startsAtMs <= nowMs) job.status = 'processing';
    }
  }

  /** When the job ends: when it finishes processing, or when it fails for running too long. */
  private endOf(job: FakeAuth0Job): number {
    return Math.min(job.endsAtMs, job.createdAtMs + this.timing.failAfterMs);
  }

  /** The job as `GET /api/v2/jobs/{id}` answers it. */
  view(job: FakeAuth0Job, location: string, nowMs = this.now()): Record<string, unknown> {
    const base: Record<string, unknown> = {
      status: job.status,
      type: 'users_import',
      created_at: new Date(job.createdAtMs).toISOString(),
      id: job.id,
      connection_id: job.connectionId,
      connection: job.connectionName,
      ...(job.externalId === undefined ? {} : { external_id: job.externalId }),
    };
    if (job.status === 'processing') {
      const done = Math.min(1, (nowMs - job.startsAtMs) / Math.max(1, job.endsAtMs - job.startsAtMs));
      return { ...base, percentage_done: Math.floor(done * 100), time_left_seconds: Math.ceil((job.endsAtMs - nowMs) / 1000) };
    }
    if (job.status === 'completed') return { ...base, location, summary: job.summary };
    if (job.status === 'failed') return { ...base, summary: job.summary, ...(job.failWith === undefined ? {} : { status_details: job.failWith }) };
    return base;
  }

  private finish(job: FakeAuth0Job): void {
    // Not done within the limit: the job fails and imports nobody (the fake applies a file at once).
    if (job.endsAtMs > job.createdAtMs + this.timing.failAfterMs) job.failWith ??= FAILED_AFTER_LIMIT;
    if (job.failWith !== undefined) {
      job.status = 'failed';
      job.summary = { failed: job.records.length, updated: 0, inserted: 0, total: job.records.length };
      job.errors = [];
    } else {
      const elsewhere = (userId: string): FakeAuth0StoredUser | undefined => {
        for (const [id, table] of this.tables) {
          const found = id === job.connectionId ? undefined : table.findById(userId);
          if (found !== undefined) return found;
        }
        return undefined;
      };
      const outcome = this.tables.get(job.connectionId)?.import(job.records, job.upsert, this.redact, elsewhere);
      job.status = 'completed';
      job.summary = outcome?.summary ?? { failed: 0, updated: 0, inserted: 0, total: 0 };
      job.errors = outcome?.errors ?? [];
    }
    // The file is not kept once processed, like Auth0.
    job.records = [];
  }
}
