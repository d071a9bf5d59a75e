import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Flags } from '@oclif/core';
import { AUTH0_FILE_LIMIT, FilesSink, requireCapability, runBulk } from '@ferry/core';
import { abortOnSignal } from '../bulk/abort-on-signal';
import { bulkFlags } from '../bulk/bulk-flags';
import { createProgress } from '../bulk/progress';
import { summarise, summaryLines, type BulkCommandResult } from '../bulk/run-summary';
import { FerryCommand } from '../ferry-command';

export default class Export extends FerryCommand {
  static override summary = 'Export every legacy user to Auth0 import files (JSON arrays of at most 512000 bytes) or NDJSON.';
  static override description =
    'Hashes travel as password_hash / custom_password_hash wherever Auth0 can verify them. Users whose hash only Ferry can verify are written ' +
    'without it in Auth0 files (a warning in the report) and with it in NDJSON (for `ferry import --to store`). Every record is accounted for: ' +
    'written + skipped + rejected = read, with rejects and their reasons in <out>/report.ndjson.';
  static override examples = [
    '<%= config.bin %> export --out ./export',
    '<%= config.bin %> export --out ./export --skip-migrated',
    '<%= config.bin %> export --out ./export --resume',
    '<%= config.bin %> export --out ./export --format ndjson --dry-run',
  ];
  static override flags = {
    out: Flags.string({ char: 'o', summary: 'Directory for the files, the report and the run state.', required: true }),
    format: Flags.string({ summary: 'json: Auth0 import files; ndjson: one record per line, keeping Ferry-only hashes.', options: ['json', 'ndjson'], default: 'json' }),
    'max-bytes': Flags.integer({ summary: 'Largest file size.', default: AUTH0_FILE_LIMIT, min: 1024, max: AUTH0_FILE_LIMIT }),
    'skip-migrated': Flags.boolean({ summary: "Leave out users already in Ferry's store (the two-phase plan's bulk step)." }),
    ...bulkFlags,
  };

  async run(): Promise<BulkCommandResult> {
    const { flags } = await this.parse(Export);
    const dryRun = flags['dry-run'];
    const out = dryRun ? mkdtempSync(join(tmpdir(), 'ferry-export-dry-run-')) : resolve(flags.out);
    return this.withRuntime(flags.config, { withoutStore: !flags['skip-migrated'] }, async (rt) => {
      const connector = requireCapability(rt.connector as NonNullable<typeof rt.connector>, 'exportUsers', '`ferry export`');
      const sink = new FilesSink({ dir: out, format: flags.format as 'json' | 'ndjson', maxBytes: flags['max-bytes'], dryRun });
      const report = join(out, 'report.ndjson');
      const progress = createProgress({ quiet: this.jsonEnabled() });
      const stop = abortOnSignal(() => this.logToStderr('\nstopping after the current batch … (Ctrl-C again to quit at once)'));
      try {
        this.say(`Exporting from '${connector.id}' to ${sink.label}${dryRun ? ' (dry run: no files are written)' : ''} …`);
        const result = await runBulk({
          source: connector,
          sink,
          reportPath: report,
          keepFerryHash: flags.format === 'ndjson',
          ...(flags['skip-migrated'] ? { existing: (ids: string[], emails: string[]) => rt.store.findExisting(rt.config.connection, ids, emails) } : {}),
          batchSize: flags['batch-size'],
          resume: flags.resume,
          restart: flags.restart || dryRun,
          afterComplete: 'refuse',
          signal: stop.signal,
          onBatch: (s) => progress.update(s),
        });
        progress.end();
        const summary = summarise(result, report, dryRun);
        const files = sink.files();
        for (const l of summaryLines(summary, `ferry export --out ${flags.out} --resume`)) this.say(l);
        if (!dryRun && files.length > 0) this.say(`${files.length} file(s) in ${out}: ${files[0]?.name} … ${files[files.length - 1]?.name}`);
        if (summary.status === 'interrupted') process.exitCode = 130;
        return summary;
      } finally {
        stop.dispose();
        await sink.close();
        if (dryRun) rmSync(join(out, '.ferry-run.db'), { force: true });
      }
    });
  }
}
