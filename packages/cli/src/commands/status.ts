import { USER_ORIGINS, readMode, type MigrationMode, type StoreStats } from '@ferry/core';
import { FerryCommand } from '../ferry-command';

/** The `--json` shape of `ferry status`. */
export interface StatusResult {
  connector: string;
  store: string;
  connection: string;
  mode: MigrationMode;
  stats: StoreStats;
  /** Users whose credential is still an imported legacy hash, by scheme. */
  legacyHashes: Record<string, number>;
}

export default class Status extends FerryCommand {
  static override summary = 'Show the mode, the connector, and users by origin and credential scheme.';
  static override examples = ['<%= config.bin %> status', '<%= config.bin %> status --json'];

  async run(): Promise<StatusResult> {
    const { flags } = await this.parse(Status);
    return this.withRuntime(flags.config, { withoutConnector: true }, async (rt) => {
      const stats = await rt.store.stats(rt.config.connection);
      const mode = await readMode(rt.store, rt.config.connection, rt.config.mode);
      const legacyHashes = Object.fromEntries(Object.entries(stats.credentialsByScheme).filter(([scheme]) => scheme !== 'argon2id'));
      this.say(`connector:  ${rt.config.connector.id}`);
      this.say(`store:      ${rt.store.description} (connection '${rt.config.connection}')`);
      this.say(`mode:       ${mode}`);
      this.say(`users:      ${stats.total} (${stats.blocked} blocked, ${stats.total - stats.withCredential} without a credential yet)`);
      for (const origin of USER_ORIGINS) this.say(`  ${origin.padEnd(9)} ${stats.byOrigin[origin]}`);
      this.say('credentials by scheme:');
      for (const [scheme, n] of Object.entries(stats.credentialsByScheme)) this.say(`  ${scheme.padEnd(24)} ${n}${scheme === 'argon2id' ? '' : '  (legacy hash: upgraded at next login)'}`);
      return { connector: rt.config.connector.id, store: rt.store.description, connection: rt.config.connection, mode, stats, legacyHashes };
    });
  }
}
