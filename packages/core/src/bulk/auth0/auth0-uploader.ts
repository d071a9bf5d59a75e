/**
 * Takes finished Auth0 import files to Auth0: at most two jobs in flight (Auth0's limit),
 * each polled with backoff until it ends, its per-user errors fetched and its duplicates
 * checked (`auth0-duplicates.ts`), its outcome written to the report, passed to
 * `onFileDone` and then journaled. Restarted with the same journal, it skips reported
 * files, polls submitted jobs again instead of resubmitting them, and submits the rest. A
 * file whose send was interrupted before its job id was journaled is sent again (Auth0
 * cannot list jobs); that job's duplicates are put down to the lost one
 * (`unconfirmed-sends.ts`).
 */
import { type FerryError, isErrorClass } from '../../errors';
import { type Clock, systemClock } from '../../http/clock';
import type { Logger } from '../../logging/logger';
import { Auth0Journal, type Auth0UnconfirmedSends } from './auth0-journal';
import { alreadyThere, judgeDuplicates } from './auth0-duplicates';
import { followJob, refusedFile } from './auth0-job-outcome';
import type { Auth0ManagementClient } from './auth0-management-client';
import { Auth0Report } from './auth0-report';
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
  /** Users Auth0 could not import: ids and reasons only; DUPLICATED_USERs carry Ferry's verdict. */
  errors: Auth0UserError[];
  /** Why the file failed as a whole (refused, job failed, expired or deleted); the report names each of its users. */
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
  /** Of `failed`: users found already in the tenant (`alreadyImported` included), skipped rather than rejected. */
  alreadyThere: number;
  total: number;
  /**
   * The caller's signal stopped the run before every file was done: submitted jobs stay in
   * the journal, and a run with the same journal goes on from there.
   */
  interrupted: boolean;
}

/** The report an upload writes (see {@link Auth0UploaderOptions.report}). */
export interface Auth0UploadReport {
  /** The NDJSON report file. */
  path: string;
  /** A report whose lines open this one when the upload starts (the export phase's). */
  startWith?: string | undefined;
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
  /**
   * Write one report line per user Auth0 did not import (or found already there), each
   * file's lines exactly once even across crashes: the journal keeps the report's length.
   */
  report?: Auth0UploadReport | undefined;
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
   * Called once per file when its outcome is known (and is in the report), before it is
   * journaled: a crash right after it may call it again for that file on resume (at least
   * once, never lost). Calls do not overlap.
   */
  onFileDone?: ((result: Auth0FileResult) => void | Promise<void>) | undefined;
  /** Called when Auth0 accepted a file. */
  onFileSubmitted?: ((file: Auth0ImportFile, jobId: string) => void) | undefined;
  /**
   * Stops the run: `run` resolves with `interrupted`; submitted jobs stay in the journal
   * and are polled again on resume.
   */
  signal?: AbortSignal | undefined;
}

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

  /**
   * Upload `files` in order; resolves when every job has ended and been reported, or with
   * `interrupted` when `handlers.signal` stopped it. Rejects on any other failure.
   */
  async run(files: AsyncIterable<Auth0ImportFile> | Iterable<Auth0ImportFile>, handlers: Auth0UploadHandlers = {}): Promise<Auth0UploadSummary> {
    const journal = await Auth0Journal.open(this.options.journalPath, this.options.connectionId);
    const out = this.options.report === undefined ? undefined : await Auth0Report.open(this.options.report.path, journal, this.options.report.startWith);
    try {
      return await this.upload(files, handlers, journal, out);
    } finally {
      out?.close();
    }
  }

  private async upload(files: AsyncIterable<Auth0ImportFile> | Iterable<Auth0ImportFile>, handlers: Auth0UploadHandlers, journal: Auth0Journal, out: Auth0Report | undefined): Promise<Auth0UploadSummary> {
    const summary: Auth0UploadSummary = { files: 0, skipped: 0, failedFiles: 0, inserted: 0, updated: 0, failed: 0, alreadyImported: 0, alreadyThere: 0, total: 0, interrupted: false };
    const stop = new AbortController();
    const signal = handlers.signal === undefined ? stop.signal : AbortSignal.any([handlers.signal, stop.signal]);
    const slots = new Slots(this.maxJobs);
    const tasks = new Set<Promise<void>>();
    // What stopped the run first; whatever fails after the caller's signal is part of the stop.
    let failure: { error: unknown; interrupted: boolean } | undefined;
    const fail = (error: unknown): void => {
      failure ??= { error, interrupted: handlers.signal?.aborted === true };
      stop.abort(error);
    };
    // One file at a time: its lines, then its done mark with the report's new length. After
    // a step fails no later one runs: its done mark would count lines of a file not marked
    // done, and a resume would write those lines again.
    let reporting = Promise.resolve();
    let reportFailed = false;
    const report = (result: Auth0FileResult): Promise<void> => {
      const step = reporting.then(() => {
        if (reportFailed) throw new Error('an earlier file\'s report step failed; this file is reported on resume');
        return this.report(result, journal, out, handlers, summary);
      });
      reporting = step.catch(() => {
        reportFailed = true;
      });
      return step;
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
          await report(refusedFile(file, error));
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
    if (failure === undefined) return summary;
    if (!failure.interrupted) throw failure.error;
    this.log?.info({ files: summary.files }, 'auth0 upload interrupted; resumable from its journal');
    return { ...summary, interrupted: true };
  }

  /** Write the file's lines, tell the caller, then journal the outcome with the report's new length. */
  private async report(result: Auth0FileResult, journal: Auth0Journal, out: Auth0Report | undefined, handlers: Auth0UploadHandlers, summary: Auth0UploadSummary): Promise<void> {
    const reportBytes = await out?.append(result);
    await handlers.onFileDone?.(result);
    const alreadyImported = result.alreadyImported ?? 0;
    const duplicates = alreadyThere(result.errors);
    await journal.finished(
      result.file.index,
      result.file.path,
      result.file.records,
      {
        status: result.status,
        summary: result.summary,
        errors: result.errors.length,
        ...(alreadyImported > 0 ? { alreadyImported } : {}),
        duplicates,
      },
      reportBytes,
    );
    summary.files++;
    if (result.failure !== undefined) summary.failedFiles++;
    summary.inserted += result.summary.inserted;
    summary.updated += result.summary.updated;
    summary.failed += result.summary.failed;
    summary.alreadyImported += alreadyImported;
    summary.alreadyThere += duplicates;
    summary.total += result.summary.total;
    this.log?.info({ index: result.file.index, jobId: result.jobId, status: result.status, ...result.summary, alreadyImported, alreadyThere: duplicates }, 'auth0 import file done');
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

  /**
   * Poll the job until it ends, then fetch its errors; duplicates of a resent file are put
   * down to its lost job, the others are looked up to tell who is already there.
   */
  private async follow(file: Auth0ImportFile, jobId: string, journal: Auth0Journal, signal: AbortSignal): Promise<Auth0FileResult> {
    const polling = { clock: this.clock, pollIntervalMs: this.options.pollIntervalMs ?? 1000, maxPollIntervalMs: this.options.maxPollIntervalMs ?? 30_000 };
    const { result, connection } = await followJob(this.client, file, jobId, polling, signal);
    const sends = journal.get(file.index)?.unconfirmed;
    let credited: Auth0FileResult = result;
    if (sends !== undefined) {
      const earlier = { sends, externalId: this.externalId(file, journal), jobId };
      const { errors, alreadyImported } = creditEarlierSends(result.errors, earlier);
      if (alreadyImported > 0) this.log?.info({ index: file.index, jobId, alreadyImported }, 'auth0 duplicates put down to an interrupted earlier send of the file');
      const failure = result.failure === undefined ? {} : { failure: { ...result.failure, message: `${result.failure.message}; ${lostJobCaveat(earlier)}` } };
      credited = { ...result, ...failure, errors, unconfirmedSends: sends, alreadyImported };
    }
    const errors = await judgeDuplicates(credited.errors, { usersByEmail: (email) => this.client.getUsersByEmail(email, signal), userById: (id) => this.client.getUser(id, signal), connection });
    return { ...credited, errors };
  }
}
