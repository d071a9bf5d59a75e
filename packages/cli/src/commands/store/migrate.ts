import { Flags } from '@oclif/core';
import { openStore, readSchemaVersion, resolveStoreUrl } from '@ferry/core';
import { FerryCommand } from '../../ferry-command';

/** The `--json` shape of `ferry store migrate`. */
export interface StoreMigrateResult {
  store: string;
  before: number;
  after: number;
  latest: number;
}

export default class StoreMigrate extends FerryCommand {
  static override summary = "Apply schema upgrades to Ferry's store.";
  static override description =
    'Run it before rolling out a new Ferry version. Safe from several machines at once: PostgreSQL migrations take an advisory lock, SQLite a write lock, and each version is applied once.';
  static override examples = [
    '<%= config.bin %> store migrate',
    '<%= config.bin %> store migrate --store "postgres://ferry:${PGPASSWORD}@db:5432/ferry" --json',
  ];
  static override flags = {
    store: Flags.string({ summary: "Store URL (default: ferry.yaml's store:).", env: 'FERRY_STORE' }),
  };

  async run(): Promise<StoreMigrateResult> {
    const { flags } = await this.parse(StoreMigrate);
    const { url, baseDir } = resolveStoreUrl(flags.store, flags.config);
    const before = await readSchemaVersion(url, baseDir);
    const store = openStore(url, baseDir);
    try {
      await store.migrate();
    } finally {
      await store.close();
    }
    const after = await readSchemaVersion(url, baseDir);
    this.say(`store:   ${store.description}`);
    this.say(
      before.current === after.current
        ? `schema:  version ${after.current}, up to date`
        : `schema:  version ${before.current} → ${after.current}${after.current === after.latest ? ' (latest)' : ''}`,
    );
    return { store: store.description, before: before.current, after: after.current, latest: after.latest };
  }
}
