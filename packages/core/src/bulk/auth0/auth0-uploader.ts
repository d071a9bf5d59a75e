/**
 * Takes finished Auth0 import files to Auth0: at most two jobs in flight (Auth0's limit),
 * each polled with backoff until it ends, its per-user errors fetched, its outcome
 * reported through `onFileDone` and then journaled. Restarted with the same journal, it
 * skips reported files, polls submitted jobs again instead of resubmitting them, and
 * submits the rest. A file whose send was interrupted before its job id was journaled is
 * sent again (Auth0 cannot list jobs); that job's duplicates are put down to the lost one
 * (`unconfirmed-sends.ts`).
 */
import { type FerryError, isErrorClass } from '../../errors';
import { type Clock, systemClock } from '../../http/clock';
import type { Logger } from '../../logging/logger';
import { Auth0Journal, type Auth0UnconfirmedSends } from './auth0-journal';
import type { Auth0ManagementClient } from './auth0-management-client';
import { AUTH0_MAX_CONCURRENT_JOBS } from './auth0-target-config';
import type { Auth0Job, Auth0JobSummary, Auth0UserError } from './auth0-types';
import { Slots } from './slots';
import { creditEarlierSends, lostJobCaveat, refusedWithoutJob } from './unconfirmed-sends';

/** A finished import file (a JSON array of at most 512000 bytes). */
export interface Auth0ImportFile {
  path: string;
  /** Position in the run; the journal's key. */
  index: number;
  /** Users in the file. */
  records: number;
}

/** The outcome of one file. */
export interface Auth0FileResult {
  file: Auth0ImportFile;
  /** Absent when Auth0 refused the file before creating a job. */
  jobId: string | undefined;
  status: 'completed' | 'failed';
  summary: Auth0JobSummary;
  /** Users Auth0 could not import: ids and reasons only. */
  errors: Auth0UserError[];
  /** Why the file failed as a whole (refused, job failed, expired or deleted). */
  failure?: { code: string; message: string };
  /** Earlier sends of this file that may have become a job Ferry never learnt of (an interrupted run). */
  unconfirmedSends?: Auth0UnconfirmedSends;
  /**
   * Of `summary.failed`: users whose only error is DUPLICATED_USER in a file with
   * unconfirmed sends, marked `already_imported_by_interrupted_job` in `errors`.
   */
  alreadyImported?: number;
}

/** Totals of one `run`. */
export interface Auth0UploadSummary {
  /** Files whose outcome was reported by this run. */
  files: number;
  /** Files skipped as already reported by an earlier run (journal). */
  skipped: number;
  /** Files that failed as a whole. */
  failedFiles: number;
  inserted: number;
  updated: number;
  failed: number;
  /** Of `failed`: duplicates put down to an interrupted earlier send of their file. */
  alreadyImported: number;
  total: number;
}

/** Settings of an {@link Auth0Uploader} (a `target.auth0` config fits). */
export interface Auth0UploaderOptions {
  connectionId: string;
  upsert?: boolean | undefined;
  sendCompletionEmail?: boolean | undefined;
  /**
   * `external_id` of each job. Default `ferry-{uploadId}-{index}` (the journal's random
   * upload id; `ferry-{index}` with a journal older than upload ids): a file sent twice
   * carries the same one both times.
   */
  externalId?: ((file: Auth0ImportFile) => string) | undefined;
  /** Jobs in flight at once, 1 or 2. Default 2. */
  maxJobsInFlight?: number | undefined;
  /** The journal file; without one the upload cannot be resumed. */
  journalPath?: string | undefined;
  /** First wait before polling a job, doubled… up to `maxPollIntervalMs`. Default 1000. */
  pollIntervalMs?: number | undefined;
  /** Longest wait between polls. Default 30000. */
  maxPollIntervalMs?: number | undefined;
  /** How long to keep retrying while Auth0 says two jobs are already running (another process's). Default 2 hours. */
  maxWaitForJobSlotMs?: number | undefined;
  logger?: Logger | undefined;
  clock?: Clock | undefined;
}

/** Callbacks and cancellation of one `run`. */
export interface Auth0UploadHandlers {
  /**
   * Called once per file when its outcome is known, before it is journaled: a crash right
   * after it may call it again for that file on resume (at least once, never lost).
   */
  onFileDone: (result: Auth0FileResult) => void | Promise<void>;
  /** Called when Auth0 accepted a file. */
  onFileSubmitted?: ((file: Auth0ImportFile, jobId: string) => void) | undefined;
  /** Stops the run: submitted jobs stay in the journal and are polled again on resume. */
  signal?: AbortSignal | undefined;
}

const FINAL = new Set(['completed', 'failed', 'expired']);

/** Uploads import files through an {@link Auth0ManagementClient}. */
export class Auth0Uploader {
  private readonly clock: Clock;
  private readonly log: Logger | undefined;
  private readonly maxJobs: number;

  constructor(
    private readonly client: Auth0ManagementClient,
    private readonly options: Auth0UploaderOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.log = options.logger?.child({ component: 'auth0-upload' }) as Logger | undefined;
    this.maxJobs = Math.max(1, Math.min(AUTH0_MAX_CONCURRENT_JOBS, Math.floor(options.maxJobsInFlight ?? AUTH0_MAX_CONCURRENT_JOBS)));
  }

  /** Upload `files` in order; resolves when every job has ended and been reported. */
  async run(files: AsyncIterable<Auth0ImportFile> | Iterable<Auth0ImportFile>, handlers: Auth0UploadHandlers): Promise<Auth0UploadSummary> {
    const journal = await Auth0Journal.open(this.options.journalPath, this.options.connectionId);
    const summary: Auth0UploadSummary = { files: 0, skipped: 0, failedFiles: 0, inserted: 0, updated: 0, failed: 0, alreadyImported: 0, total: 0 };
    const stop = new AbortController();
    const signal = handlers.signal === undefined ? stop.signal : AbortSignal.any([handlers.signal, stop.signal]);
    const slots = new Slots(this.maxJobs);
    const tasks = new Set<Promise<void>>();
    let failure: { error: unknown } | undefined;
    const fail = (error: unknown): void => {
      failure ??= { error };
      stop.abort(error);
    };
    const report = async (result: Auth0FileResult): Promise<void> => {
      await handlers.onFileDone(result);
      const alreadyImported = result.alreadyImported ?? 0;
      await journal.finished(result.file.index, result.file.path, result.file.records, {
        status: result.status,
        summary: result.summary,
        errors: result.errors.length,
        ...(alreadyImported > 0 ? { alreadyImported } : {}),
        duplicates: result.errors.filter((e) => e.code === 'DUPLICATED_USER').length,
      });
      summary.files++;
      if (result.failure !== undefined) summary.failedFiles++;
      summary.inserted += result.summary.inserted;
      summary.updated += result.summary.updated;
      summary.failed += result.summary.failed;
      summary.alreadyImported += alreadyImported;
      summary.total += result.summary.total;
      this.log?.info({ index: result.file.index, jobId: result.jobId, status: result.status, ...result.summary, alreadyImported }, 'auth0 import file done');
    };
    // A job slot is held from submission until the outcome is reported.
    const follow = (file: Auth0ImportFile, jobId: string): void => {
      const task = this.follow(file, jobId, journal, signal)
        .then(report)
        .catch(fail)
        .finally(() => {
          slots.release();
          tasks.delete(task);
        });
      tasks.add(task);
    };

    try {
      // Jobs submitted by an earlier run hold Auth0's slots: follow them first.
      for (const { index, entry } of journal.unfinished()) {
        await slots.acquire(signal);
        follow({ path: entry.path, index, records: entry.records }, entry.jobId);
      }
      for await (const file of files) {
        signal.throwIfAborted();
        const known = journal.get(file.index);
        if (known?.done !== undefined) {
          summary.skipped++;
          continue;
        }
        if (known?.jobId !== undefined) continue;
        if (known?.sendingSince !== undefined) {
          this.log?.warn({ index: file.index, since: known.sendingSince }, 'auth0 import file was being sent when a run stopped; Auth0 cannot list jobs, so it is sent again');
        }
        await slots.acquire(signal);
        let job: Auth0Job;
        try {
          job = await this.submit(file, journal, signal);
        } catch (error) {
          slots.release();
          if (!isErrorClass(error, 'data')) throw error;
          // Auth0 refused this file (too large, not a JSON array): report it and go on.
          await report(refused(file, error));
          continue;
        }
        await journal.submitted(file.index, file.path, file.records, job.id);
        handlers.onFileSubmitted?.(file, job.id);
        follow(file, job.id);
      }
    } catch (error) {
      fail(error);
    }
    while (tasks.size > 0) await Promise.allSettled([...tasks]);
    if (failure !== undefined) throw failure.error;
    return summary;
  }

  /**
   * Create the file's job, waiting while Auth0 says it is busy (429). Each send is
   * journaled before it leaves, so a resumed run knows a job may exist that it never heard of.
   */
  private async submit(file: Auth0ImportFile, journal: Auth0Journal, signal: AbortSignal): Promise<Auth0Job> {
    const started = this.clock.now();
    let delay = this.options.pollIntervalMs ?? 1000;
    for (;;) {
      signal.throwIfAborted();
      await journal.sending(file.index, file.path, file.records, new Date(this.clock.now()).toISOString());
      try {
        const job = await this.client.createImportJob(file.path, {
          connectionId: this.options.connectionId,
          upsert: this.options.upsert ?? false,
          sendCompletionEmail: this.options.sendCompletionEmail ?? false,
          externalId: this.externalId(file, journal),
          // Not cancelled once sent: Auth0 may create the job anyway, and a job whose id
          // never reaches the journal would be submitted a second time on resume.
        });
        this.log?.debug({ index: file.index, jobId: job.id, records: file.records }, 'auth0 import job submitted');
        return job;
      } catch (error) {
        if (refusedWithoutJob(error)) await journal.notSent(file.index);
        const code = (error as FerryError).code;
        if (!isErrorClass(error, 'transient') || code !== 'http_rate_limited') throw error;
        const waitMs = Math.max(delay, (error as { retryAfterMs?: number }).retryAfterMs ?? 0);
        if (this.clock.now() - started + waitMs > (this.options.maxWaitForJobSlotMs ?? 2 * 3600_000)) throw error;
        this.log?.info({ index: file.index, waitMs }, 'auth0 busy (rate limit or two import jobs running); waiting');
        await this.clock.sleep(waitMs, signal);
        delay = Math.min(this.options.maxPollIntervalMs ?? 30_000, delay * 2);
      }
    }
  }

  /** The job's `external_id`: the same for every send of one file in one upload. */
  private externalId(file: Auth0ImportFile, journal: Auth0Journal): string {
    return this.options.externalId?.(file) ?? (journal.uploadId === undefined ? `ferry-${file.index}` : `ferry-${journal.uploadId}-${file.index}`);
  }

  /** Poll the job until it ends, then fetch its errors; duplicates of a resent file are put down to its lost job. */
  private async follow(file: Auth0ImportFile, jobId: string, journal: Auth0Journal, signal: AbortSignal): Promise<Auth0FileResult> {
    const result = await this.outcome(file, jobId, signal);
    const sends = journal.get(file.index)?.unconfirmed;
    if (sends === undefined) return result;
    const earlier = { sends, externalId: this.externalId(file, journal), jobId };
    const { errors, alreadyImported } = creditEarlierSends(result.errors, earlier);
    if (alreadyImported > 0) this.log?.info({ index: file.index, jobId, alreadyImported }, 'auth0 duplicates put down to an interrupted earlier send of the file');
    const failure = result.failure === undefined ? {} : { failure: { ...result.failure, message: `${result.failure.message}; ${lostJobCaveat(earlier)}` } };
    return { ...result, ...failure, errors, unconfirmedSends: sends, alreadyImported };
  }

  /** Poll the job until it ends, then fetch its errors. */
  private async outcome(file: Auth0ImportFile, jobId: string, signal: AbortSignal): Promise<Auth0FileResult> {
    let delay = this.options.pollIntervalMs ?? 1000;
    let job: Auth0Job;
    for (;;) {
      await this.clock.sleep(delay, signal);
      try {
        job = await this.client.getJob(jobId, signal);
      } catch (error) {
        if ((error as FerryError).code !== 'auth0_job_not_found') throw error;
        return gone(file, jobId, 'auth0_job_not_found', `Auth0 no longer knows job ${jobId} (deleted after 24 hours); its outcome is unknown`);
      }
      if (FINAL.has(job.status)) break;
      delay = Math.min(this.options.maxPollIntervalMs ?? 30_000, delay * 2);
    }
    if (job.status === 'expired') return gone(file, jobId, 'auth0_job_expired', `Auth0 job ${jobId} expired before its outcome was read`);
    const summary = job.summary ?? { inserted: 0, updated: 0, failed: job.status === 'failed' ? file.records : 0, total: file.records };
    const needErrors = job.status === 'failed' || summary.failed > 0;
    const errors = needErrors ? await this.client.getJobErrors(jobId, signal).catch((error: unknown) => {
      // Deleted in between: the totals are known, the names are not.
      if ((error as FerryError).code === 'auth0_job_not_found') return { users: [], statusDetails: undefined };
      throw error;
    }) : { users: [], statusDetails: undefined };
    const details = job.status_details ?? errors.statusDetails;
    return {
      file,
      jobId,
      status: job.status === 'completed' ? 'completed' : 'failed',
      summary,
      errors: errors.users,
      ...(job.status === 'failed' ? { failure: { code: 'auth0_job_failed', message: details ?? `Auth0 job ${jobId} failed` } } : {}),
    };
  }
}

function refused(file: Auth0ImportFile, error: FerryError): Auth0FileResult {
  return { file, jobId: undefined, status: 'failed', summary: { inserted: 0, updated: 0, failed: file.records, total: file.records }, errors: [], failure: { code: error.code, message: error.message } };
}

function gone(file: Auth0ImportFile, jobId: string, code: string, message: string): Auth0FileResult {
  // Unknown outcome: counted as not imported; `ferry verify` tells who made it.
  return { file, jobId, status: 'failed', summary: { inserted: 0, updated: 0, failed: 0, total: file.records }, errors: [], failure: { code, message } };
}
