import { requireCapability, verifyMigration, type VerifyReport } from '@ferry/core';
import { Flags } from '@oclif/core';
import { FerryCommand } from '../ferry-command';

export default class Verify extends FerryCommand {
  static override summary = "Reconcile the legacy users against Ferry's store: who is missing, who is extra, who can never be migrated.";
  static override description =
    'Reads every legacy id (in constant memory) and every stored id. Exits 1 when a migratable legacy user is missing from the store, so ' +
    'scripts can gate `ferry mode disconnected` on it.';
  static override examples = ['<%= config.bin %> verify', '<%= config.bin %> verify --json', '<%= config.bin %> verify --sample 100'];
  static override flags = {
    sample: Flags.integer({ summary: 'How many ids to list for each kind of difference.', default: 20, min: 0, max: 10000 }),
  };

  async run(): Promise<VerifyReport> {
    const { flags } = await this.parse(Verify);
    return this.withRuntime(flags.config, {}, async (rt) => {
      const connector = requireCapability(rt.connector as NonNullable<typeof rt.connector>, 'exportUsers', '`ferry verify`');
      const r = await verifyMigration({ source: connector, store: rt.store, connection: rt.config.connection, sample: flags.sample });
      const codes = Object.entries(r.legacy.unmigratableByCode).map(([c, n]) => `${c} ${n}`).join(', ');
      this.say(`legacy users            ${String(r.legacy.total).padStart(9)}`);
      this.say(`  migratable            ${String(r.legacy.migratable).padStart(9)}`);
      this.say(`  cannot be migrated    ${String(r.legacy.unmigratable).padStart(9)}${codes ? `  (${codes})` : ''}`);
      this.say(`in the store            ${String(r.present).padStart(9)}  of the migratable (${r.percentPresent}%)`);
      this.say(`missing from the store  ${String(r.missing).padStart(9)}${r.samples.missing.length ? `  e.g. ${r.samples.missing.slice(0, 5).join(', ')}` : ''}`);
      const extra = Object.entries(r.extra).filter(([, n]) => n > 0).map(([o, n]) => `${o} ${n}`).join(', ');
      this.say(`in the store, not legacy ${String(Object.values(r.extra).reduce((a, b) => a + b, 0)).padStart(8)}${extra ? `  (${extra}; native = sign-ups, expected)` : ''}`);
      this.say(r.complete ? 'complete: every migratable legacy user is in the store.' : 'incomplete: run `ferry migrate --remaining` (or --resume), then verify again.');
      if (!r.complete) process.exitCode = 1;
      return r;
    });
  }
}
