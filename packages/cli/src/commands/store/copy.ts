import { Flags } from '@oclif/core';
import { copyStore, openCopySource, openCopyTarget, resolveStoreUrl, type CopyStoreResult, type StoreCounts } from '@ferry/core';
import { FerryCommand } from '../../ferry-command';

export default class StoreCopy extends FerryCommand {
  static override summary = 'Copy users, credentials, the migration log and settings into a PostgreSQL store.';
  static override description =
    'Graduates from the embedded SQLite store. Copies in batches (constant memory), keeps timestamps, and verifies the counts at the end. ' +
    'Re-running it resumes or does nothing; it refuses a target holding other data unless --merge, and never overwrites what the target holds. ' +
    'Stop Ferry on the source first so nothing changes during the copy.';
  static override examples = [
    '<%= config.bin %> store copy --from sqlite:./ferry.db --to "postgres://ferry:${PGPASSWORD}@db:5432/ferry"',
    'FERRY_STORE_COPY_TO=postgres://… <%= config.bin %> store copy --json',
  ];
  static override flags = {
    from: Flags.string({ summary: "Source store URL (default: ferry.yaml's store:)." }),
    to: Flags.string({ summary: 'Target PostgreSQL store URL.', env: 'FERRY_STORE_COPY_TO', required: true }),
    merge: Flags.boolean({ summary: 'Copy into a target that already holds other data (what it holds wins).' }),
    'batch-size': Flags.integer({ summary: 'Rows per batch.', default: 1000, min: 1, max: 50000 }),
  };

  async run(): Promise<CopyStoreResult> {
    const { flags } = await this.parse(StoreCopy);
    const { url, baseDir } = resolveStoreUrl(flags.from, flags.config);
    const source = openCopySource(url, baseDir);
    const target = openCopyTarget(flags.to);
    try {
      this.say(`from: ${source.description}`);
      this.say(`to:   ${target.description}`);
      let lastPhase = '';
      const result = await copyStore(source, target, {
        merge: flags.merge,
        batchSize: flags['batch-size'],
        onProgress: (phase, copied) => {
          if (phase !== lastPhase || copied[phase] % (flags['batch-size'] * 50) < flags['batch-size']) this.say(`  ${phase}… ${copied[phase]}`);
          lastPhase = phase;
        },
      });
      this.report(result);
      return result;
    } finally {
      await source.close();
      await target.close();
    }
  }

  private report(r: CopyStoreResult): void {
    const row = (name: string, c: StoreCounts) => this.say(`${name.padEnd(15)} ${[c.users, c.credentials, c.log, c.settings].map((n) => String(n).padStart(11)).join('')}`);
    this.say(`${'mode'.padEnd(15)} ${r.mode}`);
    this.say(`${''.padEnd(15)} ${['users', 'credentials', 'log', 'settings'].map((h) => h.padStart(11)).join('')}`);
    row('source', r.source);
    row('copied', r.copied);
    row('target before', r.targetBefore);
    row('target after', r.targetAfter);
    if (r.alreadyPresent > 0) this.say(`${r.alreadyPresent} users were already in the target (kept as they are).`);
    if (r.conflictCount > 0) {
      this.say(`${r.conflictCount} users not copied: the target holds their email or username under another user_id:`);
      for (const c of r.conflicts) this.say(`  ${c.connection}/${c.userId} (${c.conflict})`);
    }
    this.say(r.mode === 'fresh' ? 'verified: the target holds exactly what the source holds.' : 'verified: the target grew by exactly what was copied.');
  }
}
