/**
 * The run's NDJSON report of rejected, skipped and caveated records. Appends are made
 * after the batch's state is committed; the state keeps the batch's lines, so resuming
 * truncates the file to the committed size and appends them again — nothing lost,
 * nothing doubled.
 */
import { closeSync, existsSync, fdatasyncSync, ftruncateSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
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

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
