/**
 * What every bulk command does around its run: progress on stderr, Ctrl-C stopping between
 * batches, the summary lines, and exit code 130 when the run was stopped before the end.
 */
import { abortOnSignal } from './abort-on-signal';
import { createProgress, type Progress } from './progress';
import { summaryLines, type BulkCommandResult } from './run-summary';

/** The parts of a command {@link runBulkCommand} needs. */
export interface BulkCommandHost {
  jsonEnabled(): boolean;
  logToStderr(message: string): void;
  say(line: string): void;
}

/** Run `work` with a progress reporter and a stop signal; print and return its summary. */
export async function runBulkCommand(
  host: BulkCommandHost,
  resumeHint: string,
  work: (controls: { signal: AbortSignal; progress: Progress }) => Promise<BulkCommandResult>,
): Promise<BulkCommandResult> {
  const progress = createProgress({ quiet: host.jsonEnabled() });
  const stop = abortOnSignal(() => host.logToStderr('\nstopping after the current batch … (Ctrl-C again to quit at once)'));
  try {
    const summary = await work({ signal: stop.signal, progress });
    progress.end();
    for (const line of summaryLines(summary, resumeHint)) host.say(line);
    if (summary.status === 'interrupted') process.exitCode = 130;
    return summary;
  } finally {
    stop.dispose();
  }
}
