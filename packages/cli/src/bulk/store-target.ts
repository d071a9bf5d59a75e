/**
 * The store target of `ferry import` and `ferry migrate`: one bulk run into a
 * `StoreSink` (hashes kept for Ferry to verify; a finished run is followed by a new one),
 * its summary, and the sink closed whatever happens (a dry run's scratch tables go with it).
 */
import { runBulk, type BulkRunOptions, type StoreSink } from '@ferry/core';
import type { Progress } from './progress';
import { summarise, type BulkCommandResult } from './run-summary';

/** What differs between the commands: the sink, the report, and the run's source and flags. */
export interface StoreRun {
  sink: StoreSink;
  report: string;
  dryRun: boolean;
  run: Omit<BulkRunOptions, 'sink' | 'reportPath' | 'keepFerryHash' | 'afterComplete' | 'signal' | 'onBatch'>;
}

/** Run `o` under the command's stop signal and progress (see `runBulkCommand`). */
export async function runIntoStore({ signal, progress }: { signal: AbortSignal; progress: Progress }, o: StoreRun): Promise<BulkCommandResult> {
  try {
    const result = await runBulk({ ...o.run, sink: o.sink, reportPath: o.report, keepFerryHash: true, afterComplete: 'new', signal, onBatch: (s) => progress.update(s) });
    return summarise(result, o.report, o.dryRun);
  } finally {
    await o.sink.close();
  }
}
