import { Args } from '@oclif/core';
import { MIGRATION_MODES, readMode, writeMode, type MigrationMode } from '@ferry/core';
import { FerryCommand } from '../ferry-command';

export default class Mode extends FerryCommand {
  static override summary = 'Show or set the migration mode: import, proxy or disconnected.';
  static override description =
    "The mode is kept in the store, so every process sharing it follows. 'disconnected' ends the migration: the store stays authoritative and legacy is never called again.";
  static override examples = ['<%= config.bin %> mode', '<%= config.bin %> mode disconnected'];
  static override args = { mode: Args.string({ description: 'New mode', options: [...MIGRATION_MODES], required: false }) };

  async run(): Promise<{ mode: MigrationMode; previous?: MigrationMode }> {
    const { args, flags } = await this.parse(Mode);
    return this.withRuntime(flags.config, { withoutConnector: true }, async (rt) => {
      const { connection, mode: fallback } = rt.config;
      if (args.mode === undefined) {
        const mode = await readMode(rt.store, connection, fallback);
        this.say(mode);
        return { mode };
      }
      const next = args.mode as MigrationMode;
      const previous = await writeMode(rt.store, connection, next, fallback);
      this.say(`mode: ${previous} -> ${next}`);
      return { mode: next, previous };
    });
  }
}
