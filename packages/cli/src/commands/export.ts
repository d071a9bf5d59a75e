import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Flags } from '@oclif/core';
import { AUTH0_FILE_LIMIT, FilesSink, requireCapability, runBulk } from '@ferry/core';
import { runBulkCommand } from '../bulk/bulk-command';
import { bulkFlags, sourceThreadFlag, sourceThreadOption } from '../bulk/bulk-flags';
import { summarise, type BulkCommandResult } from '../bulk/run-summary';
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
    ...sourceThreadFlag,
  };

  async run(): Promise<BulkCommandResult> {
    const { flags } = await this.parse(Export);
    const dryRun = flags['dry-run'];
    const out = dryRun ? mkdtempSync(join(tmpdir(), 'ferry-export-dry-run-')) : resolve(flags.out);
    return this.withRuntime(flags.config, { withoutStore: !flags['skip-migrated'] }, async (rt) => {
      const connector = requireCapability(rt.connector as NonNullable<typeof rt.connector>, 'exportUsers', '`ferry export`');
      const sink = new FilesSink({ dir: out, format: flags.format as 'json' | 'ndjson', maxBytes: flags['max-bytes'], dryRun });
      const report = join(out, 'report.ndjson');
      this.say(`Exporting from '${connector.id}' to ${sink.label}${dryRun ? ' (dry run: no files are written)' : ''} …`);
      try {
        return await runBulkCommand(this.bulkHost(), `ferry export --out ${flags.out} --resume`, async ({ signal, progress }) => {
          const result = await runBulk({
            source: connector,
            ...sourceThreadOption(flags['source-thread'], rt),
            sink,
            reportPath: report,
            keepFerryHash: flags.format === 'ndjson',
            ...(flags['skip-migrated'] ? { existing: (ids: string[], emails: string[]) => rt.store.findExisting(rt.config.connection, ids, emails) } : {}),
            batchSize: flags['batch-size'],
            resume: flags.resume,
            restart: flags.restart || dryRun,
            afterComplete: 'refuse',
            signal,
            onBatch: (s) => progress.update(s),
          });
          const files = sink.files();
          if (!dryRun && files.length > 0) this.say(`${files.length} file(s) in ${out}: ${files[0]?.name} … ${files[files.length - 1]?.name}`);
          return summarise(result, report, dryRun);
        });
      } finally {
        await sink.close();
        if (dryRun) rmSync(join(out, '.ferry-run.db'), { force: true });
      }
    });
  }
}
