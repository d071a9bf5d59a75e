/**
 * The run's NDJSON report of rejected, skipped and caveated records. Appends are made
 * after the batch's state is committed; the state keeps the batch's lines, so resuming
 * truncates the file to the committed size and appends them again — nothing lost,
 * nothing doubled.
 */
import { closeSync, existsSync, fdatasync, fdatasyncSync, ftruncateSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataError } from '../errors';
import type { ReportEntry } from './bulk-types';

/** The report lines for `entries` (one JSON object per line). */
export function reportLines(entries: readonly ReportEntry[]): string {
  let out = '';
  for (const entry of entries) out += `${JSON.stringify(entry)}\n`;
  return out;
}

/** An append-only NDJSON file with exact restore. */
export class ReportFile {
  private fd: number | undefined;
  private size = 0;
  /** The sync started by {@link appendSyncLater}, if it may still be running. */
  private syncing: Promise<void> | undefined;

  constructor(readonly path: string) {}

  /** Bytes written so far. */
  get bytes(): number {
    return this.size;
  }

  /** Open fresh (truncating any earlier report). */
  create(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    this.fd = openSync(this.path, 'w');
    this.size = 0;
  }

  /** Open an existing report at the committed size `bytes`, then append `pending`. */
  restore(bytes: number, pending: string): void {
    const actual = existsSync(this.path) ? statSync(this.path).size : -1;
    if (actual < bytes) {
      throw new DataError('report_truncated', `The run's report ${this.path} is shorter than the run's state says (${Math.max(actual, 0)} < ${bytes} bytes).`, {
        hint: 'The report was moved or edited. Restore it, or start the run again with --restart.',
      });
    }
    this.fd = openSync(this.path, 'r+');
    ftruncateSync(this.fd, bytes);
    this.size = bytes;
    this.append(pending);
  }

  /** Append lines and make them durable. */
  append(lines: string): void {
    if (lines === '') return;
    if (this.fd === undefined) this.create();
    const buffer = Buffer.from(lines, 'utf8');
    writeSync(this.fd as number, buffer, 0, buffer.length, this.size);
    fdatasyncSync(this.fd as number);
    this.size += buffer.length;
  }

  /**
   * Append lines now and make them durable in the background (the thread pool), so the
   * caller can prepare its next batch meanwhile; {@link synced} waits for it. A bulk run
   * waits before its next commit: the state that counts these bytes is not committed
   * before they are durable.
   */
  appendSyncLater(lines: string): void {
    if (lines === '') return;
    if (this.fd === undefined) this.create();
    const fd = this.fd as number;
    const buffer = Buffer.from(lines, 'utf8');
    writeSync(fd, buffer, 0, buffer.length, this.size);
    this.size += buffer.length;
    const previous = this.syncing;
    const syncing = new Promise<void>((resolve, reject) => {
      fdatasync(fd, (err) => (err ? reject(err) : resolve()));
    }).then(() => previous);
    // Handled here so a failure waits for synced() instead of crashing the process as unhandled.
    syncing.catch(() => undefined);
    this.syncing = syncing;
  }

  /** Resolves when everything appended is durable. */
  async synced(): Promise<void> {
    const pending = this.syncing;
    this.syncing = undefined;
    await pending;
  }

  /** Close the file; call {@link synced} first when {@link appendSyncLater} was used (the sync needs the descriptor). */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
