/**
 * The Auth0 target of `ferry import` and `ferry migrate`: records go through the files
 * sink into a work directory (validated, de-duplicated, ≤ 512000 bytes each, resumable),
 * then the uploader sends the files as Management API import jobs (≤ 2 in flight,
 * journaled, resumable) and appends a line per user Auth0 did not import to the same
 * report (each exactly once, even across a crash: the journal keeps the report's length).
 */
import { createReadStream, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  ALREADY_IMPORTED_BY_INTERRUPTED_JOB,
  Auth0Journal,
  Auth0ManagementClient,
  Auth0Uploader,
  ConfigError,
  FilesSink,
  HttpClientFactory,
  runBulk,
  type BulkRunOptions,
  type FerryRuntime,
} from '@ferry/core';
import type { Progress } from './progress';
import type { BulkCommandResult } from './run-summary';

/** Options of {@link sendToAuth0}. */
export interface Auth0SendOptions {
  rt: FerryRuntime;
  workDir: string;
  run: Pick<BulkRunOptions, 'source' | 'sourceThread' | 'existing' | 'batchSize' | 'resume' | 'restart' | 'signal' | 'runId'>;
  progress: Progress;
  say: (line: string) => void;
}

/**
 * Report codes of users Auth0 refused because they are already there (skipped, not
 * rejected); only read for journals written before they counted them. Before duplicates
 * were looked up, every DUPLICATED_USER was reported as skipped.
 */
const SKIPPED_CODES = ['"code":"auth0_DUPLICATED_USER"', '"code":"auth0_already_in_tenant"', `"code":"auth0_${ALREADY_IMPORTED_BY_INTERRUPTED_JOB}"`];

async function countDuplicates(report: string): Promise<number> {
  if (!existsSync(report)) return 0;
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(report, 'utf8'), crlfDelay: Infinity })) if (SKIPPED_CODES.some((code) => line.includes(code))) n++;
  return n;
}

/** Export to files in `workDir`, then import them into Auth0; returns the whole run's accounting. */
export async function sendToAuth0(o: Auth0SendOptions): Promise<BulkCommandResult> {
  const target = o.rt.config.target?.auth0;
  if (target === undefined) {
    throw new ConfigError('auth0_target_missing', 'ferry.yaml has no target.auth0 section.', {
      hint: 'Add target: { auth0: { domain, clientId, clientSecret: ${AUTH0_CLIENT_SECRET}, connectionId: con_… } } (see `ferry init`).',
    });
  }
  const filesDir = join(o.workDir, 'files');
  const report = join(o.workDir, 'report.ndjson');
  const journalPath = join(o.workDir, 'auth0-journal.json');
  if (o.run.restart === true) rmSync(journalPath, { force: true });
  const sink = new FilesSink({ dir: filesDir, format: 'json' });
  let exported;
  let list;
  try {
    o.say(`1/2 Writing Auth0 import files to ${filesDir} …`);
    exported = await runBulk({ ...o.run, sink, reportPath: join(filesDir, 'report.ndjson'), keepFerryHash: false, afterComplete: 'refuse', onBatch: (s) => o.progress.update(s) });
    o.progress.end();
    list = sink.files();
  } finally {
    await sink.close();
  }
  const base: BulkCommandResult = { runId: exported.state.runId, status: exported.interrupted ? 'interrupted' : 'complete', resumed: exported.resumed, dryRun: false, counts: { ...exported.state.counts }, report };
  if (exported.interrupted) return { ...base, report: join(filesDir, 'report.ndjson') };

  o.say(`2/2 Importing ${list.length} file(s) into Auth0 connection ${target.connectionId} (${target.domain}), at most ${target.maxJobsInFlight} jobs at once …`);
  const client = new Auth0ManagementClient(target, { http: o.rt.container.get(HttpClientFactory), logger: o.rt.logger });
  let upload;
  try {
    // The export phase's report opens the run's report (copied when the upload starts); Auth0's per-user outcomes follow it.
    const uploader = new Auth0Uploader(client, { ...target, journalPath, report: { path: report, startWith: join(filesDir, 'report.ndjson') }, logger: o.rt.logger });
    upload = await uploader.run(list, {
      onFileDone: (result) => {
        o.say(`   ${result.file.path.split('/').pop()}: ${result.status}, inserted ${result.summary.inserted}, updated ${result.summary.updated}, failed ${result.summary.failed}`);
      },
      ...(o.run.signal ? { signal: o.run.signal } : {}),
    });
  } finally {
    await client.close();
  }
  // Ctrl-C: jobs in flight stay in the journal; --resume polls them again.
  if (upload.interrupted) return { ...base, status: 'interrupted' };
  const journal = await Auth0Journal.open(journalPath, target.connectionId);
  let inserted = 0;
  let updated = 0;
  let failed = 0;
  // Users found already in the tenant, from the journal. A journal written before it counted
  // them falls back to the report.
  let duplicates: number | undefined = 0;
  for (const entry of list.map((f) => journal.get(f.index))) {
    if (entry?.done === undefined) continue;
    inserted += entry.done.summary.inserted;
    updated += entry.done.summary.updated;
    failed += entry.done.status === 'failed' && entry.done.errors === 0 ? entry.records : entry.done.summary.failed;
    duplicates = duplicates === undefined || entry.done.duplicates === undefined ? undefined : duplicates + entry.done.duplicates;
  }
  duplicates ??= await countDuplicates(report);
  const c = exported.state.counts;
  return {
    ...base,
    counts: { ...c, written: inserted + updated, skipped: c.skipped + duplicates, rejected: c.rejected + failed - duplicates },
  };
}
