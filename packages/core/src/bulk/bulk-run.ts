/**
 * One bulk run: source pages → prepared records → (skip users the target has) → sink,
 * batch by batch, each batch committed with the run state. A batch gathers records across
 * pages (a source's page is often smaller than a good transaction) and may end inside a
 * page. Backpressure is the loop itself: the next page is read only when the batch it
 * fills is committed, so memory holds one batch and (in the files sink) one file,
 * whatever the number of users.
 */
import type { ExportOptions, ExportPage } from '../contracts/connector';
import type { ImportRecord, JsonValue } from '../contracts/profile';
import { ConfigError } from '../errors';
import type { ExistingUsers } from '../store/user-store';
import { emptyCounts, rejectEntry, refOf, type BulkSink, type ReportEntry, type RunState, type SinkBatchResult } from './bulk-types';
import { prepareRecords } from './record-preparation';
import { ReportFile, reportLines } from './report-file';

/**
 * Records per committed batch by default. Larger batches save commits (a transaction, the
 * state, a synced report append) but not CPU, and cost peak memory: in bench/bulk, 2000
 * and 5000 raised peak RSS by ~10 and ~30 MB (V8 lets the old generation grow to a
 * multiple of what is live, and a batch is live across the sink's commit).
 */
export const DEFAULT_BATCH_SIZE = 1000;

/** Anything that streams export pages: a connector, or import files. */
export interface RecordSource {
  readonly id: string;
  exportUsers(options: ExportOptions): AsyncIterable<ExportPage>;
}

/** Options of {@link runBulk}. */
export interface BulkRunOptions {
  source: RecordSource;
  sink: BulkSink;
  /** Path of the NDJSON report. */
  reportPath: string;
  /** Keep `ferry_password_hash` for the sink (false for Auth0 files). */
  keepFerryHash: boolean;
  /** Look up which users the target already has (two-phase: they are skipped). */
  existing?: (userIds: string[], emails: string[]) => Promise<ExistingUsers>;
  /** Records per committed batch (default {@link DEFAULT_BATCH_SIZE}). */
  batchSize?: number;
  /** Continue the run the sink holds. */
  resume?: boolean;
  /** Discard the run the sink holds and start again. */
  restart?: boolean;
  /** When the sink holds a finished run and neither flag is given: start a new run (`new`) or refuse (`refuse`). */
  afterComplete: 'new' | 'refuse';
  /** Stops the run between batches (Ctrl-C); the state stays resumable. */
  signal?: AbortSignal;
  /** Called after every committed batch. */
  onBatch?: (state: RunState) => void;
  /** A run id for a new run (default: time-based). */
  runId?: string;
}

/** What {@link runBulk} returns. */
export interface BulkRunResult {
  state: RunState;
  /** True when the run continued a stopped one. */
  resumed: boolean;
  /** True when the signal stopped it before the end. */
  interrupted: boolean;
  /** True when `resume` found the run already finished (nothing was done). */
  alreadyComplete: boolean;
}

async function startState(options: BulkRunOptions, report: ReportFile): Promise<{ state: RunState; resumed: boolean }> {
  const { sink } = options;
  const held = await sink.load();
  if (held !== undefined && options.restart !== true) {
    if (!held.done) {
      if (options.resume !== true) {
        throw new ConfigError('run_in_progress', `${sink.label} holds a stopped run (${held.runId}, ${held.counts.read} records so far).`, {
          hint: 'Continue it with --resume, or discard it and start over with --restart.',
        });
      }
      await sink.begin(held, true);
      report.restore(held.report.bytes, held.report.pending);
      return { state: held, resumed: true };
    }
    if (options.resume === true) return { state: held, resumed: true };
    if (options.afterComplete === 'refuse') {
      throw new ConfigError('run_complete', `${sink.label} already holds a finished run (${held.runId}).`, {
        hint: 'Choose another output, or pass --restart to discard it and run again.',
      });
    }
  }
  if (held !== undefined) await sink.reset();
  const state: RunState = {
    runId: options.runId ?? `run-${new Date().toISOString()}`,
    startedAt: new Date().toISOString(),
    done: false,
    source: { skip: 0 },
    counts: emptyCounts(),
    report: { bytes: 0, pending: '' },
    sink: null,
  };
  report.create();
  await sink.begin(state, false);
  return { state, resumed: false };
}

/** Skip users the target already holds; reject records whose email a different target user has. */
async function dropExisting(records: ImportRecord[], options: BulkRunOptions, entries: ReportEntry[]): Promise<ImportRecord[]> {
  if (options.existing === undefined || records.length === 0) return records;
  const found = await options.existing(
    records.map((r) => r.user_id),
    records.map((r) => r.email as string),
  );
  return records.filter((r) => {
    if (found.userIds.has(r.user_id)) {
      entries.push({ outcome: 'skipped', code: 'already_migrated', reason: 'The user is already in the target.', ...refOf(r) });
      return false;
    }
    const owner = found.emails.get((r.email as string).toLowerCase());
    if (owner !== undefined && owner !== r.user_id) {
      entries.push({ outcome: 'rejected', code: 'email_in_use', reason: `User ${owner} in the target already has this email.`, ...refOf(r) });
      return false;
    }
    return true;
  });
}

/** Run (or resume) a bulk run to the end, or until `signal` stops it. */
export async function runBulk(options: BulkRunOptions): Promise<BulkRunResult> {
  const report = new ReportFile(options.reportPath);
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  try {
    const start = await startState(options, report);
    const resumed = start.resumed;
    let state = start.state;
    if (state.done) return { state, resumed, interrupted: false, alreadyComplete: true };

    const commitBatch = async (read: number, records: ImportRecord[], sourceEntries: ReportEntry[], next: RunState['source']) => {
      const prepared = prepareRecords(records, { sourceId: options.source.id, keepFerryHash: options.keepFerryHash });
      const warnings = prepared.entries.filter((e) => e.outcome === 'warning');
      const entries = [...sourceEntries, ...prepared.entries.filter((e) => e.outcome !== 'warning')];
      const accepted = await dropExisting(prepared.accepted, options, entries);
      // The last batch's report lines must be durable before a state counting them commits.
      await report.synced();
      const previous = state;
      state = await options.sink.writeBatch(accepted, (result: SinkBatchResult, sinkState) => {
        // A caveat only matters for a record that was written.
        const notWritten = new Set([...entries, ...result.entries].map((e) => e.user_id));
        const all = [...entries, ...result.entries, ...warnings.filter((w) => !notWritten.has(w.user_id))];
        const counts = { ...previous.counts };
        counts.read += read;
        counts.written += result.written;
        for (const e of all) {
          if (e.outcome === 'rejected') counts.rejected += 1;
          else if (e.outcome === 'skipped') counts.skipped += 1;
          else counts.warnings += 1;
        }
        counts.batches += 1;
        return { ...previous, source: next, counts, report: { bytes: report.bytes, pending: reportLines(all) }, sink: sinkState };
      });
      report.appendSyncLater(state.report.pending);
      options.onBatch?.(state);
    };

    let interrupted = false;
    const position = state.source;
    // A null checkpoint means the last page is committed and only finishing is left.
    if (position.checkpoint !== null) {
      const pages = options.source.exportUsers({
        ...(position.checkpoint === undefined ? {} : { checkpoint: position.checkpoint }),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      // The batch being gathered, and where the source stands once it is committed.
      let records: ImportRecord[] = [];
      let sourceEntries: ReportEntry[] = [];
      let read = 0;
      let after: RunState['source'] = position;
      const commitGathered = async () => {
        await commitBatch(read, records, sourceEntries, after);
        records = [];
        sourceEntries = [];
        read = 0;
      };
      let skip = position.skip;
      let before: JsonValue | undefined = position.checkpoint;
      pages: for await (const page of pages) {
        // A page may have been partly committed before a stop: skip what was.
        const rows = skip > 0 ? page.records.slice(skip) : page.records;
        if (skip === 0) for (const reject of page.rejects ?? []) sourceEntries.push(rejectEntry(reject));
        read += skip > 0 ? 0 : (page.rejects?.length ?? 0);
        for (let i = 0; i < rows.length; ) {
          const take = Math.min(batchSize - records.length, rows.length - i);
          for (let k = i; k < i + take; k += 1) records.push(rows[k] as ImportRecord);
          read += take;
          i += take;
          if (records.length < batchSize) break;
          after = i >= rows.length ? { checkpoint: page.checkpoint, skip: 0 } : { ...(before === undefined ? {} : { checkpoint: before }), skip: skip + i };
          await commitGathered();
          if (options.signal?.aborted === true && i < rows.length) {
            interrupted = true;
            break pages;
          }
        }
        after = { checkpoint: page.checkpoint, skip: 0 };
        before = page.checkpoint;
        skip = 0;
        if (page.checkpoint === null) break;
        if (options.signal?.aborted === true) {
          interrupted = true;
          break;
        }
      }
      // What is gathered is committed even when stopping: the position after it is a page's end.
      if (read > 0 || after.checkpoint !== state.source.checkpoint || after.skip !== state.source.skip) await commitGathered();
      // A source that stopped early because of the signal leaves the run resumable.
      if (!interrupted && state.source.checkpoint !== null && options.signal?.aborted === true) interrupted = true;
    }
    await report.synced();
    if (!interrupted) {
      const previous = state;
      state = await options.sink.finish((result, sinkState) => ({ ...previous, done: true, counts: { ...previous.counts, written: previous.counts.written + result.written }, report: { bytes: report.bytes, pending: '' }, sink: sinkState }));
    }
    return { state, resumed, interrupted, alreadyComplete: false };
  } finally {
    // On an error the run's own error matters more than a failed background sync.
    await report.synced().catch(() => undefined);
    report.close();
  }
}
