/** The end-of-run lines every bulk command prints: the accounting equation, first. */
import type { BulkRunResult } from '@ferry/core';

/** The `--json` shape shared by export, import and migrate. */
export interface BulkCommandResult {
  runId: string;
  status: 'complete' | 'interrupted' | 'already-complete';
  resumed: boolean;
  dryRun: boolean;
  counts: BulkRunResult['state']['counts'];
  report: string;
  /** A parallel run's partitions: how many, and how many are finished. */
  partitions?: { total: number; done: number };
}

/** Summarise a run for `--json`. */
export function summarise(result: BulkRunResult, report: string, dryRun: boolean): BulkCommandResult {
  return {
    runId: result.state.runId,
    status: result.alreadyComplete ? 'already-complete' : result.interrupted ? 'interrupted' : 'complete',
    resumed: result.resumed,
    dryRun,
    counts: result.state.counts,
    report,
  };
}

/** Human lines for a run summary. */
export function summaryLines(s: BulkCommandResult, resumeHint: string): string[] {
  const c = s.counts;
  const verb = s.dryRun ? 'would be written' : 'written';
  const lines = [
    `records in ${c.read} = ${verb} ${c.written} + skipped ${c.skipped} (already in the target) + rejected ${c.rejected}`,
  ];
  if (c.warnings > 0) lines.push(`${c.warnings} written with a caveat (see the report)`);
  if (s.partitions !== undefined) lines.push(`partitions done: ${s.partitions.done} of ${s.partitions.total}`);
  if (c.rejected + c.skipped + c.warnings > 0) lines.push(`report${s.partitions === undefined ? '' : 's (one file per partition run)'}: ${s.report}`);
  if (s.status === 'interrupted') lines.push(`stopped before the end; nothing is lost: ${resumeHint}`);
  if (s.status === 'already-complete') lines.push('this run had already finished; pass --restart to run it again');
  return lines;
}
