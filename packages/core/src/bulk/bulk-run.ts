/**
 * One bulk run: source pages → prepared records → (skip users the target has) → sink,
 * batch by batch, each batch committed with the run state. A batch gathers records across
 * pages (a source's page is often smaller than a good transaction) and may end inside a
 * page. Backpressure is the loop itself: the next batch is read only when the one before
 * it is committed (or, with the reading thread, at most two batches ahead), so memory
 * holds a few batches and (in the files sink) one file, whatever the number of users.
 */
import type { ImportRecord } from '../contracts/profile';
import { ConfigError, FerryError } from '../errors';
import type { ExistingUsers } from '../store/user-store';
import { emptyCounts, refOf, type BulkSink, type ReportEntry, type RunState, type SinkBatchResult } from './bulk-types';
import { readyBatches, type ReadyBatch, type RecordSource } from './batches';
import { ReportFile, reportLines } from './report-file';
import { SOURCE_THREAD_OUT_OF_MEMORY, threadedBatches, type SourceHeap, type SourceRecipe } from './source-thread';

export type { RecordSource } from './batches';

/**
 * Records per committed batch by default. Larger batches save commits (a transaction, the
 * state, a synced report append) but not CPU, and cost peak memory: in bench/bulk, 2000
 * and 5000 raised peak RSS by ~10 and ~30 MB (V8 lets the old generation grow to a
 * multiple of what is live, and a batch is live across the sink's commit).
 */
export const DEFAULT_BATCH_SIZE = 1000;

/** Options of {@link runBulk}. */
export interface BulkRunOptions {
  source: RecordSource;
  sink: BulkSink;
  /**
   * Read and prepare in a worker thread that rebuilds `source` from this recipe (the
   * configuration it was made from), overlapping with the sink's writes. Without it,
   * everything runs in the calling thread.
   */
  sourceThread?: SourceRecipe;
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
  /**
   * A run id for a new run (default: time-based). Give one that names the run's input (e.g.
   * import's list of files): `resume` then refuses a held run with another id.
   */
  runId?: string;
  /** Told when the run changes course on its own (e.g. the reading thread ran out of memory and the run went on without it). */
  onNotice?: (code: string, message: string) => void;
  /** The reading thread's heap limits (default {@link SOURCE_THREAD_HEAP_MB}). */
  sourceThreadHeapMb?: SourceHeap;
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
    // Its position means nothing in other input: continuing would skip the wrong records.
    if (options.resume === true && options.runId !== undefined && held.runId !== options.runId) {
      throw new ConfigError('resume_other_input', `${sink.label} holds a ${held.done ? 'finished' : 'stopped'} run (${held.runId}) made from different input than this one (${options.runId}).`, {
        hint: 'Resume with exactly the same input (for an import, the same files in the same order), or discard the held run and start over with --restart.',
      });
    }
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
async function dropExisting(batch: ReadyBatch, options: BulkRunOptions): Promise<void> {
  if (options.existing === undefined || batch.accepted.length === 0) return;
  const found = await options.existing(
    batch.accepted.map((r) => r.user_id),
    batch.accepted.map((r) => r.email as string),
  );
  const accepted: ImportRecord[] = [];
  const lines: string[] = [];
  batch.accepted.forEach((r, i) => {
    if (found.userIds.has(r.user_id)) {
      batch.entries.push({ outcome: 'skipped', code: 'already_migrated', reason: 'The user is already in the target.', ...refOf(r) });
      return;
    }
    const owner = found.emails.get((r.email as string).toLowerCase());
    if (owner !== undefined && owner !== r.user_id) {
      batch.entries.push({ outcome: 'rejected', code: 'email_in_use', reason: `User ${owner} in the target already has this email.`, ...refOf(r) });
      return;
    }
    accepted.push(r);
    if (batch.lines !== undefined) lines.push(batch.lines[i] as string);
  });
  batch.accepted = accepted;
  if (batch.lines !== undefined) batch.lines = lines;
}

/**
 * The caveats of the records the sink wrote, of a batch that offered it `offered` and got
 * `refused` back. Caveats and refusals name a record by user_id and email only, so of
 * records alike in both, the first ones count as written (sinks keep the first duplicate).
 */
function writtenWarnings(warnings: ReportEntry[], offered: readonly ImportRecord[], refused: readonly ReportEntry[]): ReportEntry[] {
  if (warnings.length === 0) return warnings;
  // Per user_id and email: how many of the records so named were written and have no caveat counted yet.
  const left = new Map<string, number>();
  const add = (r: { user_id?: string; email?: string }, n: number) => {
    const key = JSON.stringify([r.user_id, r.email]);
    const before = left.get(key) ?? 0;
    left.set(key, before + n);
    return before;
  };
  for (const r of offered) add(refOf(r), 1);
  for (const e of refused) add(e, -1);
  return warnings.filter((w) => add(w, -1) > 0);
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

    const commitBatch = async (batch: ReadyBatch) => {
      // What preparation accepted, and its rejects: dropExisting replaces the one and appends to the other.
      const offered = batch.accepted;
      const prepared = batch.entries.length;
      await dropExisting(batch, options);
      const { entries, warnings } = batch;
      // The last batch's report lines must be durable before a state counting them commits.
      await report.synced();
      const previous = state;
      state = await options.sink.writeBatch(
        batch.accepted,
        (result: SinkBatchResult, sinkState) => {
          // A caveat only matters for a record that was written.
          const all = [...entries, ...result.entries, ...writtenWarnings(warnings, offered, [...entries.slice(prepared), ...result.entries])];
          const counts = { ...previous.counts };
          counts.read += batch.read;
          counts.written += result.written;
          for (const e of all) {
            if (e.outcome === 'rejected') counts.rejected += 1;
            else if (e.outcome === 'skipped') counts.skipped += 1;
            else counts.warnings += 1;
          }
          counts.batches += 1;
          return { ...previous, source: batch.after, counts, report: { bytes: report.bytes, pending: reportLines(all) }, sink: sinkState };
        },
        batch.lines,
      );
      report.appendSyncLater(state.report.pending);
      options.onBatch?.(state);
    };

    const preparation = { sourceId: options.source.id, keepFerryHash: options.keepFerryHash, serialise: options.sink.acceptsLines === true };
    const inThread = () => readyBatches(options.source, state.source, batchSize, preparation, options.signal);
    const drain = async (batches: AsyncIterable<ReadyBatch>) => {
      for await (const batch of batches) {
        await commitBatch(batch);
        if (options.signal?.aborted === true) break;
      }
    };
    if (options.sourceThread === undefined) await drain(inThread());
    else {
      try {
        await drain(threadedBatches(options.sourceThread, state.source, batchSize, preparation, options.sourceThreadHeapMb));
      } catch (err) {
        if (!(err instanceof FerryError && err.code === SOURCE_THREAD_OUT_OF_MEMORY)) throw err;
        // Batches handed over but not committed are read again: the run goes on from its committed position.
        options.onNotice?.(err.code, `${err.message} The run goes on without it, from batch ${state.counts.batches + 1}.`);
        await drain(inThread());
      }
    }
    // Stopped by the signal before the source's end: the run stays resumable.
    const interrupted = options.signal?.aborted === true && state.source.checkpoint !== null;
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
