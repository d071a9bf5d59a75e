/**
 * The `files` sink: Auth0 import files (JSON arrays) or NDJSON, each as close to the size
 * limit (512000 bytes) as possible without exceeding it.
 *
 * Its state lives in a small SQLite database beside the files (`.ferry-run.db`): the run
 * state, the log of user ids and emails seen (de-duplication in bounded memory, see
 * {@link SeenKeys}) and the finished files. Records are appended to the file being filled,
 * under its temp name, as they come and are not kept in memory. One transaction per batch
 * commits the state, after any file finished in the batch was written, synced and renamed,
 * and after the file being filled was synced: the state names how many records and bytes
 * of it are committed. Resuming deletes the files numbered after the unfinished one and
 * cuts the unfinished one back to its committed length, so every record is in the files
 * once and only once.
 *
 * (Runs of Ferry before 2026-12 kept the unfinished file's lines in the database instead,
 * table `pending`; such a run resumes by rewriting the file from them.)
 */
import { closeSync, existsSync, fdatasyncSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ImportRecord, JsonValue } from '../contracts/profile';
import { ConfigError, DataError } from '../errors';
import { refOf, type BulkSink, type ReportEntry, type RunState, type StateBuilder } from './bulk-types';
import { SeenKeys } from './seen-keys';

/** Auth0's limit for one users file. */
export const AUTH0_FILE_LIMIT = 512000;

/** Options of {@link FilesSink}. */
export interface FilesSinkOptions {
  dir: string;
  /** `json`: Auth0 import files (JSON arrays); `ndjson`: one record per line. */
  format: 'json' | 'ndjson';
  /** Largest file in bytes (default and maximum 512000). */
  maxBytes?: number;
  /** Keep the state but write no files (`--dry-run`). */
  dryRun?: boolean;
  /** User ids and emails de-duplicated in memory before the slower on-disk tables take over (default `SEEN_KEYS_IN_MEMORY`: 2,900,000 in 32 MB). */
  seenKeysInMemory?: number;
}

/** A finished file. */
export interface WrittenFile {
  index: number;
  name: string;
  path: string;
  records: number;
  bytes: number;
}

const STATE_DB = '.ferry-run.db';
const FILE_NAME = /^users-(\d{6})\.(json|ndjson)(\.tmp)?$/;

// Framing of a JSON-array file: "[\n" + records joined by ",\n" + "\n]\n".
const JSON_FRAME = 5;
const JSON_SEPARATOR = 2;
/** The closing "\n]\n", written when the file is finished. */
const JSON_CLOSE = 3;
/** A batch's lines are written in chunks of about this size (V8 keeps strings over ~128 KB in large-object space). */
const WRITE_CHUNK_BYTES = 32 * 1024;

/** The sink's part of the run state: the file being filled and how much of it is committed. */
interface FilesPosition {
  fileIndex: number;
  /** Records and bytes (their JSON, without framing) of that file; absent in runs of the earlier design. */
  records?: number;
  bytes?: number;
}

/** Files sink; see the module comment. */
export class FilesSink implements BulkSink {
  readonly label: string;
  readonly acceptsLines = true;
  private readonly maxBytes: number;
  private readonly db: Database.Database;
  private readonly st;
  private readonly seen: SeenKeys;
  private fileIndex = 1;
  /** Records and bytes (their JSON, without framing) of the file being filled. */
  private count = 0;
  private bytes = 0;
  /** The file being filled, open under its temp name (none yet, or a dry run), and how many records it holds so far. */
  private fd: number | undefined;
  private inFile = 0;
  /** Lines were appended to the file being filled since it was last synced. */
  private unsynced = false;
  /** Resumed from a run of the earlier design: its `pending` rows go with the next commit. */
  private legacyPending = false;

  constructor(private readonly options: FilesSinkOptions) {
    const limit = options.maxBytes ?? AUTH0_FILE_LIMIT;
    if (!Number.isInteger(limit) || limit < 1024 || limit > AUTH0_FILE_LIMIT) {
      throw new ConfigError('file_size_invalid', `The file size limit ${limit} is out of range.`, { hint: `Use 1024–${AUTH0_FILE_LIMIT} bytes (Auth0 refuses larger files).` });
    }
    this.maxBytes = limit;
    this.label = `${options.format === 'json' ? 'Auth0 import files' : 'NDJSON files'} in ${options.dir}`;
    mkdirSync(options.dir, { recursive: true });
    this.db = new Database(join(options.dir, STATE_DB));
    this.db.pragma('journal_mode = WAL');
    // NORMAL is enough: a commit lost to a power cut only rolls the run back to an earlier
    // state, and resuming deletes whatever was written after it.
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS run (id INTEGER PRIMARY KEY CHECK (id = 1), state TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS files (idx INTEGER PRIMARY KEY, name TEXT NOT NULL, records INTEGER NOT NULL, bytes INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS pending (seq INTEGER PRIMARY KEY, line TEXT NOT NULL);
    `);
    this.st = {
      getState: this.db.prepare<[], { state: string }>('SELECT state FROM run WHERE id = 1'),
      putState: this.db.prepare('INSERT INTO run (id, state) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state'),
      addFile: this.db.prepare('INSERT OR REPLACE INTO files (idx, name, records, bytes) VALUES (?, ?, ?, ?)'),
      files: this.db.prepare<[], { idx: number; name: string; records: number; bytes: number }>('SELECT idx, name, records, bytes FROM files ORDER BY idx'),
      clearPending: this.db.prepare('DELETE FROM pending'),
      pending: this.db.prepare<[], { line: string }>('SELECT line FROM pending ORDER BY seq'),
    };
    this.seen = new SeenKeys(this.db, options.seenKeysInMemory);
  }

  async load(): Promise<RunState | undefined> {
    const row = this.st.getState.get();
    return row === undefined ? undefined : (JSON.parse(row.state) as RunState);
  }

  async reset(): Promise<void> {
    this.db.exec('DELETE FROM run; DELETE FROM seen_log; DELETE FROM seen_ids; DELETE FROM seen_emails; DELETE FROM files; DELETE FROM pending;');
    this.seen.clearMemory();
    this.closeFile();
    this.removeFilesFrom(1);
    this.fileIndex = 1;
    this.count = 0;
    this.bytes = 0;
  }

  async begin(state: RunState, resumed: boolean): Promise<void> {
    if (!resumed) {
      this.st.putState.run(JSON.stringify(state));
      return;
    }
    // No position yet: stopped before its first commit.
    const sink = (state.sink ?? { fileIndex: 1, records: 0, bytes: 0 }) as unknown as FilesPosition;
    this.fileIndex = sink.fileIndex;
    this.seen.load();
    if (sink.records === undefined || sink.bytes === undefined) {
      // A run of the earlier design: the file being filled is rebuilt from its committed
      // lines. A pending row holds lines joined by newlines (JSON text has no raw newline).
      this.removeFilesFrom(this.fileIndex);
      const lines = this.st.pending.all().flatMap((r) => r.line.split('\n'));
      this.count = lines.length;
      this.bytes = lines.reduce((n, line) => n + Buffer.byteLength(line), 0);
      this.writeLines(lines);
      this.legacyPending = true;
      return;
    }
    this.count = sink.records;
    this.bytes = sink.bytes;
    this.reopenFile();
  }

  /** The files finished so far, in order. */
  files(): WrittenFile[] {
    return this.st.files.all().map((f) => ({ index: f.idx, name: f.name, path: join(this.options.dir, f.name), records: f.records, bytes: f.bytes }));
  }

  async writeBatch(records: ImportRecord[], build: StateBuilder, lines?: string[]): Promise<RunState> {
    const tx = this.db.transaction((): RunState => {
      const entries: ReportEntry[] = [];
      let written = 0;
      // This batch's lines of the file being filled, written in chunks small enough to
      // stay out of V8's large-object space (which only a full GC frees).
      let chunk: string[] = [];
      let chunkBytes = 0;
      const saveChunk = () => {
        this.writeLines(chunk);
        chunk = [];
        chunkBytes = 0;
      };
      for (let i = 0; i < records.length; i += 1) {
        const record = records[i] as ImportRecord;
        const email = (record.email as string).toLowerCase();
        const duplicate = this.duplicate(record, email);
        if (duplicate !== undefined) {
          entries.push(duplicate);
          continue;
        }
        const line = lines === undefined ? JSON.stringify(record) : (lines[i] as string);
        const size = Buffer.byteLength(line);
        if (this.framed(1, size) > this.maxBytes) {
          entries.push({ outcome: 'rejected', code: 'record_too_large', reason: `The record alone is ${size} bytes; a file may hold at most ${this.maxBytes}.`, ...refOf(record) });
          continue;
        }
        this.seen.add(record.user_id, email);
        if (this.count > 0 && this.framed(this.count + 1, this.bytes + size) > this.maxBytes) {
          saveChunk();
          this.finishFile();
        }
        chunk.push(line);
        chunkBytes += size;
        if (chunkBytes >= WRITE_CHUNK_BYTES) saveChunk();
        this.count += 1;
        this.bytes += size;
        written += 1;
      }
      saveChunk();
      return this.commit(build({ written, entries }, this.position()));
    });
    try {
      const state = tx.immediate();
      this.seen.committed();
      return state;
    } catch (err) {
      this.seen.rollback();
      throw err;
    }
  }

  async finish(build: StateBuilder): Promise<RunState> {
    const tx = this.db.transaction((): RunState => {
      if (this.count > 0) this.finishFile();
      return this.commit(build({ written: 0, entries: [] }, this.position()));
    });
    return tx.immediate();
  }

  async close(): Promise<void> {
    this.closeFile();
    if (this.db.open) this.db.close();
  }

  /** The report entry of a record whose user_id or email an earlier record of the run has. */
  private duplicate(record: ImportRecord, email: string): ReportEntry | undefined {
    if (this.seen.hasUserId(record.user_id)) {
      return { outcome: 'rejected', code: 'duplicate_user_id', reason: 'Another record of this run has the same user_id.', ...refOf(record) };
    }
    const owner = this.seen.emailOwner(email);
    if (owner !== undefined) {
      return { outcome: 'rejected', code: 'duplicate_email', reason: `User ${owner} of this run has the same email; resolve the duplicate in the source.`, ...refOf(record) };
    }
    return undefined;
  }

  private framed(count: number, bytes: number): number {
    return this.options.format === 'json' ? JSON_FRAME + bytes + JSON_SEPARATOR * (count - 1) : bytes + count;
  }

  /** The sink's part of the state to commit (a {@link FilesPosition}). */
  private position(): JsonValue {
    return { fileIndex: this.fileIndex, records: this.count, bytes: this.bytes };
  }

  /** Runs inside the batch's transaction, before it commits: what the state says is written is on disk first. */
  private commit(state: RunState): RunState {
    if (this.fd !== undefined && this.unsynced) {
      fdatasyncSync(this.fd);
      this.unsynced = false;
    }
    this.seen.flush();
    if (this.legacyPending) {
      this.st.clearPending.run();
      this.legacyPending = false;
    }
    this.st.putState.run(JSON.stringify(state));
    return state;
  }

  /** Bytes of the file being filled that its committed records take, before the closing frame. */
  private filledLength(): number {
    if (this.count === 0) return 0;
    return this.framed(this.count, this.bytes) - (this.options.format === 'json' ? JSON_CLOSE : 0);
  }

  /**
   * On resume: delete the files numbered after the one being filled, and cut that one back
   * to what the state says is committed (a crash may have left more, or may have come
   * between finishing it — synced and renamed — and the commit saying so).
   */
  private reopenFile(): void {
    if (this.options.dryRun === true) {
      this.removeFilesFrom(this.fileIndex);
      return;
    }
    const dir = this.options.dir;
    const name = this.fileName();
    const temp = join(dir, `${name}.tmp`);
    const length = this.filledLength();
    if (!existsSync(temp) && existsSync(join(dir, name))) renameSync(join(dir, name), temp);
    this.removeFilesFrom(this.fileIndex + 1, temp);
    if (length === 0) {
      rmSync(temp, { force: true });
      return;
    }
    const size = existsSync(temp) ? statSync(temp).size : -1;
    if (size < length) {
      throw new DataError('files_run_damaged', `The unfinished file ${name} is ${size < 0 ? 'missing' : `shorter (${size} bytes) than the ${length} bytes the run committed`}, so this run cannot resume.`, {
        hint: `Start the export again into an empty directory (or without --resume), or put ${name}.tmp back as it was.`,
        details: { file: `${name}.tmp`, expected: length, found: Math.max(size, 0) },
      });
    }
    truncateSync(temp, length);
    this.fd = openSync(temp, 'a');
    this.inFile = this.count;
  }

  private fileName(): string {
    return `users-${String(this.fileIndex).padStart(6, '0')}.${this.options.format === 'json' ? 'json' : 'ndjson'}`;
  }

  /**
   * Append records to the file being filled, under its temp name. Not synced: until the
   * file is finished, the pending table is what counts.
   */
  private writeLines(lines: string[]): void {
    if (this.options.dryRun === true || lines.length === 0) return;
    this.fd ??= openSync(join(this.options.dir, `${this.fileName()}.tmp`), 'w');
    const text = this.options.format === 'json' ? `${this.inFile === 0 ? '[\n' : ',\n'}${lines.join(',\n')}` : `${lines.join('\n')}\n`;
    writeSync(this.fd, text);
    this.inFile += lines.length;
    this.unsynced = true;
  }

  /** Close the file being filled (synced, then renamed into place) and start the next one. */
  private finishFile(): void {
    const name = this.fileName();
    const size = this.framed(this.count, this.bytes);
    if (this.options.dryRun !== true) {
      const fd = this.fd as number;
      try {
        if (this.options.format === 'json') writeSync(fd, '\n]\n');
        fsyncSync(fd);
      } finally {
        this.closeFile();
      }
      const path = join(this.options.dir, name);
      renameSync(`${path}.tmp`, path);
      syncDir(this.options.dir);
    }
    this.st.addFile.run(this.fileIndex, name, this.count, size);
    this.fileIndex += 1;
    this.count = 0;
    this.bytes = 0;
  }

  private closeFile(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.inFile = 0;
    this.unsynced = false;
  }

  /** Delete output files numbered `from` and up (written after the last commit), and temp files but `keep`. */
  private removeFilesFrom(from: number, keep?: string): void {
    if (!existsSync(this.options.dir)) return;
    for (const name of readdirSync(this.options.dir)) {
      const match = FILE_NAME.exec(name);
      const path = join(this.options.dir, name);
      if (match && path !== keep && (match[3] !== undefined || Number(match[1]) >= from)) rmSync(path, { force: true });
    }
    this.db.prepare('DELETE FROM files WHERE idx >= ?').run(from);
  }
}

function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some filesystems refuse fsync on directories; the rename is still atomic.
  }
}

/** True when `dir` holds output of an earlier run (files or state). */
export function hasRunOutput(dir: string): boolean {
  if (!existsSync(dir)) return false;
  return readdirSync(dir).some((name) => name === STATE_DB || FILE_NAME.test(name));
}
