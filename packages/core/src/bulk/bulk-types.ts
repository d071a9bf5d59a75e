/**
 * Types of the bulk pipeline: what a run counts, the state it commits after every
 * batch, report entries, and the sink contract (files, store, Auth0).
 */
import type { ExportReject } from '../contracts/connector';
import type { ImportRecord, JsonValue } from '../contracts/profile';

/** What happened to one record, as written to the NDJSON report. Never holds a hash or secret. */
export interface ReportEntry {
  /** `rejected` and `skipped` records are not written; a `warning` record was written with a caveat. */
  outcome: 'rejected' | 'skipped' | 'warning';
  code: string;
  reason: string;
  user_id?: string;
  email?: string;
  row?: number | string;
}

/** The run's tally. Always `read = written + skipped + rejected`. */
export interface RunCounts {
  read: number;
  written: number;
  skipped: number;
  rejected: number;
  /** Written records with a caveat (e.g. exported without a hash Auth0 can't verify). */
  warnings: number;
  /** Batches committed. */
  batches: number;
}

/** Where the run's source stands: after `checkpoint`'s page, with the first `skip` records of the next page done. */
export interface SourcePosition {
  /** The source's checkpoint of the last fully committed page; absent at the start. */
  checkpoint?: JsonValue;
  /** Records of the page after `checkpoint` already committed (a page split into several batches). */
  skip: number;
}

/**
 * The small JSON state committed atomically with each batch (STYLE: state is small and
 * owned). Restores the run exactly: source position, counts, and the report lines of the
 * last batch (re-appended on resume, so a crash between commit and report write loses nothing).
 */
export interface RunState {
  runId: string;
  startedAt: string;
  done: boolean;
  source: SourcePosition;
  counts: RunCounts;
  /** Report file size before `pending` was appended, and the NDJSON lines of the last batch. */
  report: { bytes: number; pending: string };
  /** The sink's own position (e.g. the index of the file being filled). */
  sink: JsonValue;
}

/** The sink's verdict on a batch: how many records it wrote and what it skipped or rejected. */
export interface SinkBatchResult {
  written: number;
  entries: ReportEntry[];
}

/** Builds the state to commit from a batch's result (synchronous: it runs inside the sink's transaction). */
export type StateBuilder = (result: SinkBatchResult, sinkState: JsonValue) => RunState;

/** Where validated records go. Each batch and the run state are committed together. */
export interface BulkSink {
  /** For messages, e.g. `files in ./out` or `store sqlite:./ferry.db`. */
  readonly label: string;
  /** The committed state of the run, if there is one. */
  load(): Promise<RunState | undefined>;
  /** Remove every trace of an earlier run (an explicit restart). */
  reset(): Promise<void>;
  /**
   * Start writing from `state`: a fresh run's initial state, or a committed one being
   * resumed — then bring outputs back to exactly that state (drop what was written after
   * its commit).
   */
  begin(state: RunState, resumed: boolean): Promise<void>;
  /**
   * True when the sink writes records as their JSON text: the run then hands it `lines`
   * (made where the records were prepared, possibly another thread) and records that
   * carry only `user_id` and `email`.
   */
  readonly acceptsLines?: boolean;
  /** Write `records` (or, with `lines`, their JSON text) and commit `build(result)` in the same atomic step. */
  writeBatch(records: ImportRecord[], build: StateBuilder, lines?: string[]): Promise<RunState>;
  /** Flush what is buffered (e.g. the last partial file) and commit the final state. */
  finish(build: StateBuilder): Promise<RunState>;
  close(): Promise<void>;
}

/** Turn a source's per-row reject into a report entry. */
export function rejectEntry(reject: ExportReject): ReportEntry {
  return { outcome: 'rejected', code: reject.code, reason: reject.reason, ...reject.ref };
}

/** The report reference of a record: its id and email, nothing else. */
export function refOf(record: { user_id?: string; email?: string }): Pick<ReportEntry, 'user_id' | 'email'> {
  return {
    ...(typeof record.user_id === 'string' ? { user_id: record.user_id } : {}),
    ...(typeof record.email === 'string' ? { email: record.email } : {}),
  };
}

/** Zero counts. */
export function emptyCounts(): RunCounts {
  return { read: 0, written: 0, skipped: 0, rejected: 0, warnings: 0, batches: 0 };
}
