/**
 * The run's report as the Auth0 upload writes it: one line per user Auth0 did not import
 * (or found already there), each file's lines exactly once. The journal keeps the report's
 * committed length, written together with each file's done mark; a resumed upload cuts the
 * report back to it, so a file whose done mark a crash lost gets its lines once more, not
 * twice. A file failed as a whole is read back to name each of its users.
 */
import { copyFile, mkdir, open, stat } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ReportEntry } from '../bulk-types';
import { ReportFile, reportLines } from '../report-file';
import { isAlreadyThere } from './auth0-duplicates';
import { readFileUsers } from './auth0-file-users';
import type { Auth0Journal } from './auth0-journal';
import type { Auth0FileResult } from './auth0-uploader';

/** Lines are appended (and synced) in pieces of about this many bytes. */
const PIECE = 64 * 1024;

/** The report an upload appends to. */
export class Auth0Report {
  private constructor(private readonly file: ReportFile) {}

  /**
   * Open the report at `path` for an upload with `journal`. A new upload starts it with a
   * copy of `startWith` (streamed: memory does not grow with its size) and records its
   * length; a resumed one cuts it back to the length the journal holds. A journal written
   * before it held one leaves the report as it is.
   */
  static async open(path: string, journal: Auth0Journal, startWith?: string): Promise<Auth0Report> {
    const file = new ReportFile(path);
    const committed = journal.reportBytes;
    if (committed !== undefined) file.restore(committed, '');
    else if (!journal.empty) {
      if (existsSync(path)) file.restore(statSync(path).size, '');
      else file.create();
    } else {
      await mkdir(dirname(path), { recursive: true });
      if (startWith !== undefined && existsSync(startWith)) {
        await copyFile(startWith, path);
        await syncFile(path);
        file.restore((await stat(path)).size, '');
      } else file.create();
      await journal.reportStarted(file.bytes);
    }
    return new Auth0Report(file);
  }

  /** Append the lines of `result` and make them durable; resolves with the report's length after them. */
  async append(result: Auth0FileResult): Promise<number> {
    let piece = '';
    for await (const entry of reportEntries(result)) {
      piece += reportLines([entry]);
      if (piece.length >= PIECE) {
        this.file.append(piece);
        piece = '';
      }
    }
    this.file.append(piece);
    return this.file.bytes;
  }

  /** Close the file. */
  close(): void {
    this.file.close();
  }
}

/**
 * The report entries of one file: per user, Auth0's reason (or Ferry's verdict) with the
 * user's id and email. A file that failed as a whole gets one entry per user it holds.
 */
export async function* reportEntries(result: Auth0FileResult): AsyncGenerator<ReportEntry> {
  if (result.failure !== undefined && result.errors.length === 0) {
    yield* wholeFile(result, result.failure);
    return;
  }
  for (const e of result.errors) {
    yield {
      outcome: isAlreadyThere(e.verdict) ? 'skipped' : 'rejected',
      code: `auth0_${e.verdict ?? e.code}`,
      reason: e.message,
      ...(e.user_id === undefined ? {} : { user_id: e.user_id }),
      ...(e.email === undefined ? {} : { email: e.email }),
    };
  }
}

async function* wholeFile(result: Auth0FileResult, failure: { code: string; message: string }): AsyncGenerator<ReportEntry> {
  const { code, message } = failure;
  let named = 0;
  let unreadable = '';
  try {
    for await (const user of readFileUsers(result.file.path)) {
      named++;
      yield { outcome: 'rejected', code, reason: message, ...user };
    }
  } catch (error) {
    // A system error's code only: a JSON parser's message may quote the record, hash and all.
    const errno = (error as NodeJS.ErrnoException).code;
    unreadable = typeof errno === 'string' ? ` (${errno})` : ' as a JSON array';
  }
  // Users the file could not name (it is gone, or not a JSON array): one line for them all.
  const rest = result.file.records - named;
  if (rest > 0) yield { outcome: 'rejected', code, reason: `${message} (${rest} users of ${result.file.path} not named: the file could not be read${unreadable})` };
}

async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
