import { resolve } from 'node:path';
import { Flags } from '@oclif/core';
import { ConfigError, PasswordHashing, StoreSink, requireCapability, runBulk } from '@ferry/core';
import { sendToAuth0 } from '../bulk/auth0-target';
import { runBulkCommand } from '../bulk/bulk-command';
import { bulkFlags } from '../bulk/bulk-flags';
import { summarise, type BulkCommandResult } from '../bulk/run-summary';
import { FerryCommand } from '../ferry-command';

export default class Migrate extends FerryCommand {
  static override summary = 'Bulk-migrate the legacy users not migrated yet (the two-phase plan\'s second step), into Ferry\'s store or Auth0.';
  static override description =
    'Streams the legacy export through the checks of `ferry export` into the store, in transactions of --batch-size users, each committed ' +
    "with the run's checkpoint. Users already in the store (trickle-migrated) are skipped and keep their credential. Hashes are stored as " +
    "imported credentials and upgraded to argon2id at each user's first login. With --to auth0 the users not in Ferry's store are sent " +
    'as Management API import jobs (ferry.yaml target.auth0). Stop with Ctrl-C and continue with --resume.';
  static override examples = [
    '<%= config.bin %> migrate --remaining',
    '<%= config.bin %> migrate --remaining --resume',
    '<%= config.bin %> migrate --remaining --dry-run',
    '<%= config.bin %> migrate --remaining --to auth0',
  ];
  static override flags = {
    remaining: Flags.boolean({ summary: 'Import whoever is not in the store yet (the only bulk mode; kept explicit for scripts).', default: true, allowNo: false }),
    to: Flags.string({ summary: "Ferry's store, or Auth0 (ferry.yaml target.auth0; users already in Ferry's store are left out).", options: ['store', 'auth0'], default: 'store' }),
    'work-dir': Flags.string({ summary: 'For --to auth0: where the import files, the job journal and the report are kept.', default: '.ferry/migrate-auth0' }),
    report: Flags.string({ summary: 'For --to store: where to write the NDJSON report of skipped and rejected users.', default: '.ferry/migrate-report.ndjson' }),
    ...bulkFlags,
  };

  async run(): Promise<BulkCommandResult> {
    const { flags } = await this.parse(Migrate);
    const dryRun = flags['dry-run'];
    if (flags.to === 'auth0' && dryRun) {
      throw new ConfigError('dry_run_unsupported', '--dry-run with --to auth0 is not supported: Auth0 has no dry-run import.', {
        hint: 'Check the export first with `ferry export --out <dir> --skip-migrated --dry-run`.',
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
              existing: (ids, emails) => rt.store.findExisting(rt.config.connection, ids, emails),
              batchSize: flags['batch-size'],
              resume: flags.resume,
              restart: flags.restart,
              signal,
            },
            progress,
            say: (l) => this.say(l),
          }),
        );
      }
      const sink = new StoreSink({ store: rt.store, hashing: rt.container.get(PasswordHashing), connection: rt.config.connection, dryRun });
      const report = resolve(flags.report);
      this.say(`Migrating the remaining users from '${connector.id}' into ${sink.label}${dryRun ? ' (dry run: nothing is written)' : ''} …`);
      const summary = await runBulkCommand(this.bulkHost(), 'ferry migrate --remaining --resume', async ({ signal, progress }) => {
        const result = await runBulk({
          source: connector,
          sink,
          reportPath: report,
          keepFerryHash: true,
          batchSize: flags['batch-size'],
          resume: flags.resume,
          restart: flags.restart,
          afterComplete: 'new',
          signal,
          onBatch: (s) => progress.update(s),
        });
        return summarise(result, report, dryRun);
      });
      if (summary.status === 'complete' && !dryRun) this.say('next: ferry verify (is everyone there?), then ferry mode disconnected');
      return summary;
    });
  }
}
