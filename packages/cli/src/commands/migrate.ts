import { resolve } from 'node:path';
import { Flags } from '@oclif/core';
import { StoreSink, requireCapability, runBulk, PasswordHashing } from '@ferry/core';
import { abortOnSignal } from '../bulk/abort-on-signal';
import { bulkFlags } from '../bulk/bulk-flags';
import { createProgress } from '../bulk/progress';
import { summarise, summaryLines, type BulkCommandResult } from '../bulk/run-summary';
import { FerryCommand } from '../ferry-command';

export default class Migrate extends FerryCommand {
  static override summary = "Bulk-migrate the legacy users not migrated yet into Ferry's store (the two-phase plan's second step).";
  static override description =
    'Streams the legacy export through the checks of `ferry export` into the store, in transactions of --batch-size users, each committed ' +
    'with the run\'s checkpoint. Users already in the store (trickle-migrated) are skipped and keep their credential. Hashes are stored as ' +
    'imported credentials and upgraded to argon2id at each user\'s first login. Stop with Ctrl-C and continue with --resume.';
  static override examples = ['<%= config.bin %> migrate --remaining', '<%= config.bin %> migrate --remaining --resume', '<%= config.bin %> migrate --remaining --dry-run'];
  static override flags = {
    remaining: Flags.boolean({ summary: 'Import whoever is not in the store yet (the only bulk mode; kept explicit for scripts).', default: true, allowNo: false }),
    report: Flags.string({ summary: 'Where to write the NDJSON report of skipped and rejected users.', default: '.ferry/migrate-report.ndjson' }),
    ...bulkFlags,
  };

  async run(): Promise<BulkCommandResult> {
    const { flags } = await this.parse(Migrate);
    const dryRun = flags['dry-run'];
    return this.withRuntime(flags.config, {}, async (rt) => {
      const connector = requireCapability(rt.connector as NonNullable<typeof rt.connector>, 'exportUsers', '`ferry migrate`');
      const sink = new StoreSink({ store: rt.store, hashing: rt.container.get(PasswordHashing), connection: rt.config.connection, dryRun });
      const report = resolve(flags.report);
      const progress = createProgress({ quiet: this.jsonEnabled() });
      const stop = abortOnSignal(() => this.logToStderr('\nstopping after the current batch … (Ctrl-C again to quit at once)'));
      try {
        this.say(`Migrating the remaining users from '${connector.id}' into ${sink.label}${dryRun ? ' (dry run: nothing is written)' : ''} …`);
        const result = await runBulk({
          source: connector,
          sink,
          reportPath: report,
          keepFerryHash: true,
          batchSize: flags['batch-size'],
          resume: flags.resume,
          restart: flags.restart,
          afterComplete: 'new',
          signal: stop.signal,
          onBatch: (s) => progress.update(s),
        });
        progress.end();
        const summary = summarise(result, report, dryRun);
        for (const l of summaryLines(summary, 'ferry migrate --remaining --resume')) this.say(l);
        if (summary.status === 'complete' && !dryRun) this.say('next: ferry verify (is everyone there?), then ferry mode disconnected');
        if (summary.status === 'interrupted') process.exitCode = 130;
        return summary;
      } finally {
        stop.dispose();
      }
    });
  }
}
