import { dirname, join, resolve } from 'node:path';
import { Flags } from '@oclif/core';
import { ConfigError, PasswordHashing, StoreSink, requireCapability, startPartitionedRun } from '@ferry/core';
import { sendToAuth0 } from '../bulk/auth0-target';
import { runBulkCommand } from '../bulk/bulk-command';
import { abortOnSignal } from '../bulk/abort-on-signal';
import { hasOpenParallelRun, parallelMigrate, runWorkerHere, type WorkerHereOptions } from '../bulk/parallel-migrate';
import { bulkFlags, bulkRunOptions, sourceThreadFlag, sourceThreadOption, storeReportPath } from '../bulk/bulk-flags';
import type { BulkCommandResult } from '../bulk/run-summary';
import { runIntoStore } from '../bulk/store-target';
import { FerryCommand } from '../ferry-command';

export default class Migrate extends FerryCommand {
  static override summary = 'Bulk-migrate the legacy users not migrated yet (the two-phase plan\'s second step), into Ferry\'s store or Auth0.';
  static override description =
    'Streams the legacy export through the checks of `ferry export` into the store, in transactions of --batch-size users, each committed ' +
    "with the run's checkpoint. Users already in the store (trickle-migrated) are skipped and keep their credential. Hashes are stored as " +
    "imported credentials and upgraded to argon2id at each user's first login. With --to auth0 the users not in Ferry's store are sent " +
    'as Management API import jobs (ferry.yaml target.auth0). Stop with Ctrl-C and continue with --resume.\n\n' +
    'With --workers N (or --partitions P) the export is split into partitions (connectors that can split, e.g. SQL key ranges) stored ' +
    'with the run in the store; N worker processes here — and any started with --resume on other machines sharing the store — claim ' +
    "partitions, each with its own checkpoint. A crashed worker's partition is taken over once its lease (--lease-seconds) runs out.";
  static override examples = [
    '<%= config.bin %> migrate --remaining',
    '<%= config.bin %> migrate --remaining --resume',
    '<%= config.bin %> migrate --remaining --dry-run',
    '<%= config.bin %> migrate --remaining --to auth0',
    '<%= config.bin %> migrate --remaining --workers 4',
    '<%= config.bin %> migrate --remaining --workers 2 --resume   # on a second machine: join the run',
  ];
  static override flags = {
    remaining: Flags.boolean({ summary: 'Import whoever is not in the store yet (the only bulk mode; kept explicit for scripts).', default: true, allowNo: false }),
    to: Flags.string({ summary: "Ferry's store, or Auth0 (ferry.yaml target.auth0; users already in Ferry's store are left out).", options: ['store', 'auth0'], default: 'store' }),
    'work-dir': Flags.string({ summary: 'For --to auth0: where the import files, the job journal and the report are kept.', default: '.ferry/migrate-auth0' }),
    report: Flags.string({
      summary: 'For --to store: where to write the NDJSON report of skipped and rejected users.',
      description: 'Default: .ferry/migrate-report.ndjson, or .ferry/migrate-report.dry-run.ndjson with --dry-run (a dry run never overwrites the report of a stopped run).',
    }),
    workers: Flags.integer({ summary: 'Worker processes to run here for a parallel (partitioned) run into the store.', default: 1, min: 1, max: 64 }),
    partitions: Flags.integer({ summary: 'Partitions for a new parallel run (default: 4 per worker).', min: 1, max: 4096 }),
    'report-dir': Flags.string({ summary: 'For a parallel run: where each partition run writes its NDJSON report.', default: '.ferry/migrate-reports' }),
    'lease-seconds': Flags.integer({ summary: "For a parallel run: take over a partition whose worker has shown no sign of life for this long.", default: 30, min: 1 }),
    worker: Flags.boolean({ summary: 'Run one worker of the parallel run in the store (what --workers starts).', hidden: true }),
    ...bulkFlags,
    ...sourceThreadFlag,
  };

  async run(): Promise<BulkCommandResult | { interrupted: boolean }> {
    const { flags } = await this.parse(Migrate);
    const dryRun = flags['dry-run'];
    if (flags.to === 'auth0' && dryRun) {
      throw new ConfigError('dry_run_unsupported', '--dry-run with --to auth0 is not supported: Auth0 has no dry-run import.', {
        hint: 'Check the export first with `ferry export --out <dir> --skip-migrated --dry-run`.',
      });
    }
    if (flags.to === 'auth0' && (flags.workers > 1 || flags.partitions !== undefined || flags.worker)) {
      throw new ConfigError('workers_unsupported', 'Parallel workers are for runs into the store; --to auth0 runs one export, and Auth0 takes at most two import jobs at a time anyway.', {
        hint: 'Drop --workers/--partitions for --to auth0.',
      });
    }
    return this.withRuntime(flags.config, {}, async (rt) => {
      const connector = requireCapability(rt.connector as NonNullable<typeof rt.connector>, 'exportUsers', '`ferry migrate`');
      if (flags.to === 'auth0') {
        return runBulkCommand(this.bulkHost(), 'ferry migrate --remaining --to auth0 --resume', ({ signal, progress }) =>
          sendToAuth0({
            rt,
            workDir: resolve(flags['work-dir']),
            run: {
              source: connector,
              ...sourceThreadOption(flags['source-thread'], rt),
              existing: (ids, emails) => rt.store.findExisting(rt.config.connection, ids, emails),
              ...bulkRunOptions(flags),
              signal,
            },
            progress,
            say: (l) => this.say(l),
          }),
        );
      }
      const parallel = flags.worker || flags.workers > 1 || flags.partitions !== undefined || (flags.resume && (await hasOpenParallelRun(rt)));
      if (parallel) {
        if (dryRun) throw new ConfigError('dry_run_unsupported', '--dry-run is not supported for a parallel run.', { hint: 'Dry-run with one worker (drop --workers/--partitions).' });
        const common = { rt, connector, batchSize: flags['batch-size'], leaseSeconds: flags['lease-seconds'], reportDir: resolve(flags['report-dir']), say: (l: string) => this.say(l), warn: (l: string) => void process.stderr.write(`${l}\n`) };
        if (flags.worker) return this.runOneWorker(common);
        return runBulkCommand(this.bulkHost(), 'ferry migrate --remaining --resume', ({ signal, progress }) =>
          parallelMigrate({
            ...common,
            workers: flags.workers,
            partitions: flags.partitions ?? flags.workers * 4,
            resume: flags.resume,
            restart: flags.restart,
            signal,
            progress,
            bin: join(this.config.root, 'bin', 'run.js'),
            workerArgs: ['migrate', '--remaining', '--worker', '--resume', '--config', resolve(flags.config), '--batch-size', String(flags['batch-size']), '--report-dir', resolve(flags['report-dir']), '--lease-seconds', String(flags['lease-seconds'])],
          }),
        );
      }
      const report = storeReportPath('migrate', flags.report, dryRun);
      const sink = new StoreSink({ store: rt.store, hashing: rt.container.get(PasswordHashing), connection: rt.config.connection, dryRun, scratchDir: dirname(report) });
      this.say(`Migrating the remaining users from '${connector.id}' into ${sink.label}${dryRun ? ' (dry run: nothing is written)' : ''} …`);
      const summary = await runBulkCommand(this.bulkHost(), 'ferry migrate --remaining --resume', (controls) =>
        runIntoStore(controls, { sink, report, dryRun, run: { source: connector, ...sourceThreadOption(flags['source-thread'], rt), ...bulkRunOptions(flags) } }),
      );
      if (summary.status === 'complete' && !dryRun) this.say('next: ferry verify (is everyone there?), then ferry mode disconnected');
      return summary;
    });
  }

  /** `--worker`: one worker of the stored parallel run, quiet; exit 130 when stopped. */
  private async runOneWorker(common: Omit<WorkerHereOptions, 'signal'>): Promise<{ interrupted: boolean }> {
    const { plan } = await startPartitionedRun({ store: common.rt.store, connector: common.connector, connection: common.rt.config.connection, partitions: 1, resume: true });
    const stop = abortOnSignal(() => undefined);
    try {
      const result = await runWorkerHere({ ...common, signal: stop.signal }, plan);
      if (result.interrupted) process.exitCode = 130;
      return result;
    } finally {
      stop.dispose();
    }
  }
}
