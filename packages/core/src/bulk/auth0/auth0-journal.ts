/**
 * The Auth0 upload's journal: per import file, whether it is being sent, the job it
 * became and whether that job is done; and how much of the run's report is final. A
 * small JSON file replaced atomically (write a temporary file, fsync, rename), so a crash
 * leaves either the old or the new journal, never half of one.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigError } from '../../errors';
import type { Auth0JobSummary } from './auth0-types';

/**
 * Sends of a file whose answer never reached the journal (the process stopped, or the
 * request timed out): Auth0 may have created a job for each, and it cannot list jobs, so
 * Ferry cannot find out which.
 */
export interface Auth0UnconfirmedSends {
  count: number;
  /** When the first of them began (ISO 8601). */
  since: string;
}

/** What the journal knows about one file. */
export interface Auth0JournalEntry {
  path: string;
  records: number;
  /**
   * When the send in progress began (ISO 8601): written before the request, removed once
   * Auth0 accepted or refused the file. Found on resume, it is an unconfirmed send.
   */
  sendingSince?: string;
  /** Earlier sends of this file that may have become jobs Ferry never learnt of. */
  unconfirmed?: Auth0UnconfirmedSends;
  /** Set once Auth0 accepted the file. */
  jobId?: string;
  /** Set once the outcome was reported. */
  done?: {
    status: 'completed' | 'failed';
    summary: Auth0JobSummary;
    errors: number;
    /** Of `summary.failed`: duplicates put down to an unconfirmed earlier send of the file. */
    alreadyImported?: number;
    /**
     * Of `summary.failed`: users found already in the tenant, counted as skipped (verdict
     * `already_in_tenant`, `alreadyImported` included). Journals written before the
     * duplicates were checked counted every DUPLICATED_USER here.
     */
    duplicates?: number;
  };
}

/** The journal file's content. */
export interface Auth0JournalState {
  version: 1;
  connectionId: string;
  /** Random id of this upload, part of each job's default `external_id`; absent in journals Ferry wrote before it had one. */
  uploadId?: string;
  /**
   * Bytes of the run's report that are final: set when the upload starts and with each
   * file's done mark (in the same write), so a resumed upload cuts the report back to it
   * and writes the lines of a file not marked done once more instead of twice. Absent in
   * journals written before, and when the uploader writes no report.
   */
  reportBytes?: number;
  files: Record<string, Auth0JournalEntry>;
}

/** A journal on disk (or only in memory when no path is given). */
export class Auth0Journal {
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly path: string | undefined,
    private readonly state: Auth0JournalState,
  ) {}

  /** Open the journal at `path` (a new one if there is none), for imports into `connectionId`. */
  static async open(path: string | undefined, connectionId: string): Promise<Auth0Journal> {
    const fresh: Auth0JournalState = { version: 1, connectionId, uploadId: randomBytes(4).toString('hex'), files: {} };
    if (path === undefined) return new Auth0Journal(undefined, fresh);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Auth0Journal(path, fresh);
      throw err;
    }
    let state: Auth0JournalState;
    try {
      state = JSON.parse(text) as Auth0JournalState;
    } catch (err) {
      throw new ConfigError('auth0_journal_invalid', `The Auth0 upload journal ${path} is not valid JSON`, { cause: err, hint: 'Restore it, or remove it to upload every file again.' });
    }
    if (state.version !== 1 || typeof state.files !== 'object' || state.files === null) {
      throw new ConfigError('auth0_journal_invalid', `The Auth0 upload journal ${path} has an unknown format`, { hint: 'Remove it to upload every file again.' });
    }
    if (state.connectionId !== connectionId) {
      throw new ConfigError('auth0_journal_mismatch', `The Auth0 upload journal ${path} belongs to connection ${state.connectionId}, not ${connectionId}`, {
        hint: 'Use another journal path for another connection.',
      });
    }
    return new Auth0Journal(path, state);
  }

  /** This upload's id (undefined for a journal older than upload ids). */
  get uploadId(): string | undefined {
    return this.state.uploadId;
  }

  /** The report's committed length (see {@link Auth0JournalState.reportBytes}). */
  get reportBytes(): number | undefined {
    return this.state.reportBytes;
  }

  /** Whether no file was sent yet. */
  get empty(): boolean {
    return Object.keys(this.state.files).length === 0;
  }

  /** Record, durably, the report's committed length before any file is reported. */
  reportStarted(bytes: number): Promise<void> {
    this.state.reportBytes = bytes;
    return this.save();
  }

  /** The entry of file `index`. */
  get(index: number): Auth0JournalEntry | undefined {
    return this.state.files[String(index)];
  }

  /** Files submitted whose outcome was not reported yet, by index. */
  unfinished(): { index: number; entry: Auth0JournalEntry & { jobId: string } }[] {
    return Object.entries(this.state.files)
      .filter((pair): pair is [string, Auth0JournalEntry & { jobId: string }] => pair[1].jobId !== undefined && pair[1].done === undefined)
      .map(([index, entry]) => ({ index: Number(index), entry }))
      .sort((a, b) => a.index - b.index);
  }

  /**
   * Record, durably, that file `index` is about to be sent at `at` (ISO 8601). A send
   * already marked was never answered as far as the journal knows: it becomes unconfirmed.
   */
  sending(index: number, path: string, records: number, at: string): Promise<void> {
    const { sendingSince, unconfirmed, ...entry } = this.state.files[String(index)] ?? { path, records };
    const lost: Auth0UnconfirmedSends | undefined = sendingSince === undefined ? unconfirmed : { count: (unconfirmed?.count ?? 0) + 1, since: unconfirmed?.since ?? sendingSince };
    this.state.files[String(index)] = { ...entry, ...(lost === undefined ? {} : { unconfirmed: lost }), sendingSince: at };
    return this.save();
  }

  /** Record that Auth0 refused the send of file `index` without creating a job. */
  notSent(index: number): Promise<void> {
    const entry = this.state.files[String(index)];
    if (entry?.sendingSince === undefined) return Promise.resolve();
    delete entry.sendingSince;
    return this.save();
  }

  /** Record that file `index` became job `jobId` (unconfirmed earlier sends stay known). */
  submitted(index: number, path: string, records: number, jobId: string): Promise<void> {
    const unconfirmed = this.state.files[String(index)]?.unconfirmed;
    this.state.files[String(index)] = { path, records, ...(unconfirmed === undefined ? {} : { unconfirmed }), jobId };
    return this.save();
  }

  /** Record file `index`'s outcome, and with it the report's length once its lines are in (when there is a report). */
  finished(index: number, path: string, records: number, done: NonNullable<Auth0JournalEntry['done']>, reportBytes?: number): Promise<void> {
    const { sendingSince: _answered, ...entry } = this.state.files[String(index)] ?? { path, records };
    this.state.files[String(index)] = { ...entry, done };
    if (reportBytes !== undefined) this.state.reportBytes = reportBytes;
    return this.save();
  }

  /** Write the whole state; writes are queued so the last one on disk is the newest. */
  private save(): Promise<void> {
    const path = this.path;
    if (path === undefined) return Promise.resolve();
    const text = `${JSON.stringify(this.state)}\n`;
    this.writing = this.writing.catch(() => undefined).then(() => writeAtomically(path, text));
    return this.writing;
  }
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  const file = await open(tmp, 'w');
  try {
    await file.writeFile(text, 'utf8');
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(tmp, path);
  // Make the rename itself durable; not every platform lets a directory be opened.
  const dir = await open(dirname(path), 'r').catch(() => undefined);
  if (dir !== undefined) {
    try {
      await dir.sync().catch(() => undefined);
    } finally {
      await dir.close();
    }
  }
}
