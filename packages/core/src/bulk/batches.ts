/**
 * The read side of a bulk run: source pages gathered into batches, each with the source
 * position after it, and prepared for the sink. It runs in the run's own thread or in a
 * worker thread (see `source-thread.ts`); the write side (skipping existing users, the
 * sink, commits) always runs in the run's thread.
 */
import type { ExportOptions, ExportPage } from '../contracts/connector';
import type { ImportRecord, JsonValue } from '../contracts/profile';
import { rejectEntry, type ReportEntry, type SourcePosition } from './bulk-types';
import { prepareRecord, prepareRecords, type PreparationOptions } from './record-preparation';

/** Anything that streams export pages: a connector, or import files. */
export interface RecordSource {
  readonly id: string;
  exportUsers(options: ExportOptions): AsyncIterable<ExportPage>;
}

/** Records gathered from one or more pages, and where the source stands once they are committed. */
export interface GatheredBatch {
  /** Records read from the source for this batch (accepted or not, page rejects included). */
  read: number;
  records: ImportRecord[];
  /** The source's own per-row rejects. */
  sourceEntries: ReportEntry[];
  after: SourcePosition;
}

/** A batch ready for the write side. */
export interface ReadyBatch {
  read: number;
  /** Records that may go on; with `lines`, only `user_id` and `email` of each (the rest is in its line). */
  accepted: ImportRecord[];
  /** `JSON.stringify` of each accepted record, when the sink takes serialised records. */
  lines?: string[];
  /** Rejects (source and preparation). */
  entries: ReportEntry[];
  /** Caveats of accepted records; reported only for records the sink writes. */
  warnings: ReportEntry[];
  after: SourcePosition;
}

function samePosition(a: SourcePosition, b: SourcePosition): boolean {
  return a.checkpoint === b.checkpoint && a.skip === b.skip;
}

/**
 * Gather `source`'s pages from `position` into batches of `batchSize` records. A batch
 * may span pages and end inside one (then its position is the page before plus a skip).
 * A page partly committed before a stop is skipped up to where it was. The last batch is
 * yielded even when empty if the position moved (e.g. to the final `null` checkpoint).
 * With `signal`, stops at the first batch or page boundary after it fires.
 */
export async function* gatherBatches(source: RecordSource, position: SourcePosition, batchSize: number, signal?: AbortSignal): AsyncGenerator<GatheredBatch> {
  if (position.checkpoint === null) return;
  const pages = source.exportUsers({
    ...(position.checkpoint === undefined ? {} : { checkpoint: position.checkpoint }),
    ...(signal ? { signal } : {}),
  });
  let yielded: SourcePosition = position;
  let records: ImportRecord[] = [];
  let sourceEntries: ReportEntry[] = [];
  let read = 0;
  let after: SourcePosition = position;
  const take = (): GatheredBatch => {
    const batch = { read, records, sourceEntries, after };
    yielded = after;
    records = [];
    sourceEntries = [];
    read = 0;
    return batch;
  };
  let skip = position.skip;
  let before: JsonValue | undefined = position.checkpoint;
  for await (const page of pages) {
    const rows = skip > 0 ? page.records.slice(skip) : page.records;
    if (skip === 0) for (const reject of page.rejects ?? []) sourceEntries.push(rejectEntry(reject));
    read += skip > 0 ? 0 : (page.rejects?.length ?? 0);
    for (let i = 0; i < rows.length; ) {
      const n = Math.min(batchSize - records.length, rows.length - i);
      for (let k = i; k < i + n; k += 1) records.push(rows[k] as ImportRecord);
      read += n;
      i += n;
      if (records.length < batchSize) break;
      after = i >= rows.length ? { checkpoint: page.checkpoint, skip: 0 } : { ...(before === undefined ? {} : { checkpoint: before }), skip: skip + i };
      yield take();
      if (signal?.aborted === true && i < rows.length) return;
    }
    after = { checkpoint: page.checkpoint, skip: 0 };
    before = page.checkpoint;
    skip = 0;
    if (page.checkpoint === null || signal?.aborted === true) break;
  }
  // What is gathered is yielded even when stopping: the position after it is a page's end.
  if (read > 0 || !samePosition(after, yielded)) yield take();
}

/**
 * Prepare a gathered batch; with `serialise`, accepted records travel as JSON lines plus
 * their id and email. Serialising, each record is prepared, written out as its line and
 * let go before the next one (the gathered array gives it up too), so at most one
 * prepared record is alive at a time: the reading thread's young generation then holds
 * about one page of data instead of three, and collecting it copies that much less.
 */
export function readyBatch(batch: GatheredBatch, options: PreparationOptions & { serialise?: boolean }): ReadyBatch {
  const entries = [...batch.sourceEntries];
  const warnings: ReportEntry[] = [];
  const sort = (found: ReportEntry[]): void => {
    for (const e of found) (e.outcome === 'warning' ? warnings : entries).push(e);
  };
  if (options.serialise !== true) {
    const prepared = prepareRecords(batch.records, options);
    sort(prepared.entries);
    return { read: batch.read, accepted: prepared.accepted, entries, warnings, after: batch.after };
  }
  const records = batch.records;
  const lines: string[] = [];
  const accepted: ImportRecord[] = [];
  const found: ReportEntry[] = [];
  for (let i = 0; i < records.length; i += 1) {
    const record = prepareRecord(records[i] as ImportRecord, options, found);
    (records as (ImportRecord | undefined)[])[i] = undefined;
    if (record === undefined) continue;
    lines.push(JSON.stringify(record));
    accepted.push({ user_id: record.user_id, ...(record.email === undefined ? {} : { email: record.email }) });
  }
  records.length = 0;
  sort(found);
  return { read: batch.read, accepted, lines, entries, warnings, after: batch.after };
}

/** The read side: gathered batches, each prepared (what the reading thread runs, or the run's own thread without it). */
export async function* readyBatches(
  source: RecordSource,
  position: SourcePosition,
  batchSize: number,
  preparation: PreparationOptions & { serialise?: boolean },
  signal?: AbortSignal,
): AsyncGenerator<ReadyBatch> {
  for await (const gathered of gatherBatches(source, position, batchSize, signal)) yield readyBatch(gathered, preparation);
}
