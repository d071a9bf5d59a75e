import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { ConfigError, ImportFileSource, PasswordHashing, StoreSink } from '@ferry/core';
import { sendToAuth0 } from '../bulk/auth0-target';
import { runBulkCommand } from '../bulk/bulk-command';
import { bulkFlags, bulkRunOptions, storeReportPath } from '../bulk/bulk-flags';
import type { BulkCommandResult } from '../bulk/run-summary';
import { runIntoStore } from '../bulk/store-target';
import { FerryCommand } from '../ferry-command';

export default class Import extends FerryCommand {
  static override summary = "Import Auth0 import files (JSON arrays) or NDJSON files into Ferry's store or into Auth0.";
  static override description =
    'Reads the files in the order given, checks every record like `ferry export` does, and writes them in transactions of --batch-size ' +
    "users, each committed with the run's position. Users already in the store are skipped, never overwritten. `auth0|` prefixes of " +
    're-imported Auth0 exports are stripped. With --to auth0 the checked files are sent as Management API import jobs (ferry.yaml target.auth0).';
  static override strict = false;
  static override args = { files: Args.string({ description: 'Import files (.json arrays, .ndjson/.jsonl).', required: true }) };
  static override examples = ['<%= config.bin %> import export/users-*.json --to store', '<%= config.bin %> import users.ndjson --to auth0 --resume'];
  static override flags = {
    to: Flags.string({ summary: "Where the users go: Ferry's store, or Auth0 (ferry.yaml target.auth0).", options: ['store', 'auth0'], required: true }),
    'work-dir': Flags.string({ summary: 'For --to auth0: where the checked import files, the job journal and the report are kept.', default: '.ferry/import-auth0' }),
    report: Flags.string({
      summary: 'For --to store: where to write the NDJSON report of skipped and rejected users.',
      description: 'Default: .ferry/import-report.ndjson, or .ferry/import-report.dry-run.ndjson with --dry-run (a dry run never overwrites the report of a stopped run).',
    }),
    ...bulkFlags,
  };

  async run(): Promise<BulkCommandResult> {
    const { flags, argv } = await this.parse(Import);
    const files = (argv as string[]).map((f) => resolve(f));
    const dryRun = flags['dry-run'];
    // The run id names the file list, so runBulk refuses --resume with other files instead of skipping the wrong records.
    const runId = `import-${createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 16)}`;
    const source = new ImportFileSource(files);
    const hint = 'rerun the same command with --resume';
    if (flags.to === 'auth0') {
      if (dryRun) {
        throw new ConfigError('dry_run_unsupported', '--dry-run with --to auth0 is not supported: Auth0 has no dry-run import.', { hint: 'Check the files with `ferry import … --to store --dry-run` instead.' });
      }
      return this.withRuntime(flags.config, { withoutConnector: true, withoutStore: true }, (rt) =>
        runBulkCommand(this.bulkHost(), hint, ({ signal, progress }) =>
          sendToAuth0({
            rt,
            workDir: resolve(flags['work-dir']),
            run: { source, ...bulkRunOptions(flags), signal, runId },
            progress,
            say: (l) => this.say(l),
          }),
        ),
      );
    }
    return this.withRuntime(flags.config, { withoutConnector: true }, async (rt) => {
      const report = storeReportPath('import', flags.report, dryRun);
      const sink = new StoreSink({ store: rt.store, hashing: rt.container.get(PasswordHashing), connection: rt.config.connection, stateKey: `bulk-import:${rt.config.connection}`, dryRun, scratchDir: dirname(report) });
      this.say(`Importing ${files.length} file(s) into ${sink.label}${dryRun ? ' (dry run: nothing is written)' : ''} …`);
      return runBulkCommand(this.bulkHost(), hint, (controls) => runIntoStore(controls, { sink, report, dryRun, run: { source, ...bulkRunOptions(flags), runId } }));
    });
  }
}
