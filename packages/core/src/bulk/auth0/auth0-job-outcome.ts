/**
 * Following one import job to its end: poll with backoff until Auth0 says it is over (an
 * import job ends completed or failed — failed too when not done within 2 hours), then read
 * its per-user errors. An outcome Auth0 can no longer tell (the job deleted after 24 hours,
 * or answered `expired`) is a failure whose users' fate is unknown.
 */
import type { FerryError } from '../../errors';
import type { Clock } from '../../http/clock';
import type { Auth0ManagementClient } from './auth0-management-client';
import type { Auth0Job } from './auth0-types';
import type { Auth0FileResult, Auth0ImportFile } from './auth0-uploader';

// `expired` is a documented job state too: taken as an unknown outcome should Auth0 answer it.
const FINAL = new Set(['completed', 'failed', 'expired']);

/** How often to poll. */
export interface JobPolling {
  clock: Clock;
  /** First wait before polling, doubled after each poll… */
  pollIntervalMs: number;
  /** …up to this. */
  maxPollIntervalMs: number;
}

/** Poll the job until it ends, then fetch its errors; with the connection's name the job gave. */
export async function followJob(
  client: Auth0ManagementClient,
  file: Auth0ImportFile,
  jobId: string,
  polling: JobPolling,
  signal: AbortSignal,
): Promise<{ result: Auth0FileResult; connection: string | undefined }> {
  let delay = polling.pollIntervalMs;
  let job: Auth0Job;
  for (;;) {
    await polling.clock.sleep(delay, signal);
    try {
      job = await client.getJob(jobId, signal);
    } catch (error) {
      if ((error as FerryError).code !== 'auth0_job_not_found') throw error;
      return { result: gone(file, jobId, 'auth0_job_not_found', `Auth0 no longer knows job ${jobId} (jobs are deleted after 24 hours); its outcome is unknown`), connection: undefined };
    }
    if (FINAL.has(job.status)) break;
    delay = Math.min(polling.maxPollIntervalMs, delay * 2);
  }
  if (job.status === 'expired') return { result: gone(file, jobId, 'auth0_job_expired', `Auth0 answered that job ${jobId} expired; its outcome is unknown`), connection: job.connection };
  const summary = job.summary ?? { inserted: 0, updated: 0, failed: job.status === 'failed' ? file.records : 0, total: file.records };
  const needErrors = job.status === 'failed' || summary.failed > 0;
  const errors = needErrors ? await client.getJobErrors(jobId, signal).catch((error: unknown) => {
    // Deleted in between: the totals are known, the names are not.
    if ((error as FerryError).code === 'auth0_job_not_found') return { users: [], statusDetails: undefined };
    throw error;
  }) : { users: [], statusDetails: undefined };
  const details = job.status_details ?? errors.statusDetails;
  const result: Auth0FileResult = {
    file,
    jobId,
    status: job.status === 'completed' ? 'completed' : 'failed',
    summary,
    errors: errors.users,
    ...(job.status === 'failed' ? { failure: { code: 'auth0_job_failed', message: details ?? `Auth0 job ${jobId} failed` } } : {}),
  };
  return { result, connection: job.connection };
}

/** The outcome of a file Auth0 refused without creating a job (too large, not a JSON array). */
export function refusedFile(file: Auth0ImportFile, error: FerryError): Auth0FileResult {
  return { file, jobId: undefined, status: 'failed', summary: { inserted: 0, updated: 0, failed: file.records, total: file.records }, errors: [], failure: { code: error.code, message: error.message } };
}

function gone(file: Auth0ImportFile, jobId: string, code: string, message: string): Auth0FileResult {
  // Unknown outcome: counted as not imported; `ferry verify` tells who made it.
  return { file, jobId, status: 'failed', summary: { inserted: 0, updated: 0, failed: 0, total: file.records }, errors: [], failure: { code, message } };
}
