/** Flags shared by the bulk commands (export, import, migrate). */
import { resolve } from 'node:path';
import { Flags } from '@oclif/core';
import type { FerryRuntime, SourceRecipe } from '@ferry/core';

export const bulkFlags = {
  resume: Flags.boolean({ summary: 'Continue the stopped run where it left off (nothing lost, nothing duplicated).', exclusive: ['restart'] }),
  restart: Flags.boolean({ summary: 'Discard the earlier run (its state and outputs) and start over.', exclusive: ['resume'] }),
  'dry-run': Flags.boolean({ summary: 'Read, check and count everything; write nothing.' }),
  'batch-size': Flags.integer({ summary: 'Records per committed batch (one transaction each).', default: 1000, min: 1, max: 10000 }),
};

/** The runBulk options `bulkFlags` set (a dry run of `ferry export` restarts on its own). */
export function bulkRunOptions(flags: { 'batch-size': number; resume: boolean; restart: boolean }): { batchSize: number; resume: boolean; restart: boolean } {
  return { batchSize: flags['batch-size'], resume: flags.resume, restart: flags.restart };
}

/** `--[no-]source-thread` for the commands that read from the connector (export, migrate). */
export const sourceThreadFlag = {
  'source-thread': Flags.boolean({
    summary: 'Read and prepare records in a worker thread while the previous batch is written (--no-source-thread: all in one thread).',
    allowNo: true,
    default: true,
  }),
};

/** The runBulk option for `--source-thread`: the runtime's recipe, when it has one. */
export function sourceThreadOption(enabled: boolean, rt: FerryRuntime): { sourceThread?: SourceRecipe; onNotice?: (code: string, message: string) => void } {
  if (!enabled || rt.sourceRecipe === undefined) return {};
  return { sourceThread: rt.sourceRecipe, onNotice: (_code, message) => void process.stderr.write(`warning: ${message}\n`) };
}

/**
 * The report path of a run into the store: `--report`, else `.ferry/<command>-report.ndjson`
 * (`.dry-run.ndjson` for a dry run, so it never overwrites the report a stopped run resumes).
 */
export function storeReportPath(command: 'migrate' | 'import', flag: string | undefined, dryRun: boolean): string {
  return resolve(flag ?? `.ferry/${command}-report${dryRun ? '.dry-run' : ''}.ndjson`);
}
