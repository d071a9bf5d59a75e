/**
 * The `store` sink: Ferry's own user store. Each batch is one store transaction that also
 * writes the run state (a setting), so users and checkpoint are committed together.
 * Hashes travel as imported credentials (the engine upgrades them to argon2id at the
 * user's first login). The store's unique keys de-duplicate: a clash with a user of this
 * run is a duplicate in the source; a clash with anyone else means the user is already
 * migrated (skipped) or the email belongs to someone else (rejected). Nothing stored is
 * ever overwritten, so a trickle login's credential always wins.
 */
import type { PasswordHashing } from '../contracts/password-hashing';
import type { LegacyHash } from '../contracts/password-hash';
import type { ImportRecord, JsonValue } from '../contracts/profile';
import type { BulkConflict, BulkUser, ImportBatchResult, UserStore } from '../store/user-store';
import { DryRunKeys } from './dry-run-keys';
import { refOf, type BulkSink, type ReportEntry, type RunState, type SinkBatchResult, type StateBuilder } from './bulk-types';

/** Options of {@link StoreSink}. */
export interface StoreSinkOptions {
  store: UserStore;
  hashing: PasswordHashing;
  connection: string;
  /** Settings key holding the run state (default `bulk:<connection>`). */
  stateKey?: string;
  /**
   * Check everything and write nothing (`--dry-run` keeps no state either). The outcome
   * is a real run's: users already in the store skipped, clashes with the store or with
   * earlier records of the run rejected.
   */
  dryRun?: boolean;
  /** Where a dry run keeps its scratch tables of this run's keys (default: the OS temp dir). */
  scratchDir?: string;
  /** A fence on the state setting (parallel workers' partition lease); see {@link StateFence}. */
  fence?: StateFence;
}

/**
 * Guards the run state of a sink shared between processes: `check` runs inside every
 * commit's transaction on the committed value and throws to abort it; `stamp` turns the
 * new state into the value stored (e.g. the state plus the lease renewed).
 */
export interface StateFence {
  check(current: JsonValue | undefined): void;
  stamp(state: RunState): JsonValue;
}

function conflictEntry(c: BulkConflict): ReportEntry {
  const ref = { user_id: c.userId, ...(c.email === undefined ? {} : { email: c.email }) };
  if (c.conflict === 'user_id') {
    return c.sameRun
      ? { outcome: 'rejected', code: 'duplicate_user_id', reason: 'Another record of this run has the same user_id.', ...ref }
      : { outcome: 'skipped', code: 'already_migrated', reason: 'The user is already in the store (migrated earlier or by login).', ...ref };
  }
  const what = c.conflict === 'email' ? 'email' : 'username';
  return c.sameRun
    ? { outcome: 'rejected', code: `duplicate_${what}`, reason: `User ${c.existingUserId} of this run has the same ${what}; resolve the duplicate in the source.`, ...ref }
    : { outcome: 'rejected', code: `${what}_in_use`, reason: `User ${c.existingUserId} in the store already has this ${what}.`, ...ref };
}

/** Store sink; see the module comment. */
export class StoreSink implements BulkSink {
  readonly label: string;
  private readonly key: string;
  private runId = '';
  /** A dry run's stand-in for the store's unique keys (made at its first batch). */
  private dryRunKeys: DryRunKeys | undefined;

  constructor(private readonly options: StoreSinkOptions) {
    this.key = options.stateKey ?? `bulk:${options.connection}`;
    this.label = `the store ${options.store.description} (connection ${options.connection})`;
  }

  async load(): Promise<RunState | undefined> {
    if (this.options.dryRun === true) return undefined;
    const value = await this.options.store.getSetting(this.key);
    // A fenced key may hold only a claim (a lease, no run yet): nothing to resume.
    return value === undefined || (value as { runId?: unknown }).runId === undefined ? undefined : (value as unknown as RunState);
  }

  async reset(): Promise<void> {
    if (this.options.dryRun !== true) await this.options.store.compareAndSetSetting(this.key, await this.options.store.getSetting(this.key), undefined);
  }

  async begin(state: RunState): Promise<void> {
    this.runId = state.runId;
    // A new run starts with no keys (a stopped dry run's are not this run's).
    await this.close();
  }

  async writeBatch(records: ImportRecord[], build: StateBuilder): Promise<RunState> {
    const entries: ReportEntry[] = [];
    const users: BulkUser[] = [];
    for (const record of records) {
      const { password_hash, custom_password_hash, ferry_password_hash, ...profile } = record;
      const hash: LegacyHash | undefined = password_hash ?? (custom_password_hash as LegacyHash | undefined) ?? ferry_password_hash;
      if (hash === undefined) {
        users.push({ profile });
        continue;
      }
      try {
        users.push({ profile, credential: { hash, scheme: this.options.hashing.schemeOf(hash) } });
      } catch (err) {
        entries.push({ outcome: 'rejected', code: 'hash_unsupported', reason: (err as Error).message, ...refOf(record) });
      }
    }
    if (this.options.dryRun === true) {
      // What the store's unique keys would say, without writing: already there, or a clash
      // with an earlier record of this run.
      const profiles = users.map((u) => u.profile);
      const existing = await this.options.store.findExisting(this.options.connection, ...DryRunKeys.lookupOf(profiles));
      this.dryRunKeys ??= new DryRunKeys(this.options.scratchDir);
      let written = 0;
      for (const profile of profiles) {
        const conflict = this.dryRunKeys.claim(profile, existing);
        if (conflict === undefined) written += 1;
        else entries.push(conflictEntry(conflict));
      }
      this.dryRunKeys.endBatch();
      return build({ written, entries }, null);
    }
    let state: RunState | undefined;
    await this.commit(users, (result) => {
      const outcome: SinkBatchResult = { written: result.created, entries: [...entries, ...result.conflicts.map(conflictEntry)] };
      state = build(outcome, null);
      return state;
    });
    return state as RunState;
  }

  async finish(build: StateBuilder): Promise<RunState> {
    const state = build({ written: 0, entries: [] }, null);
    if (this.options.dryRun === true) {
      await this.close();
      return state;
    }
    if (this.options.fence === undefined) await this.options.store.setSetting(this.key, state as unknown as JsonValue);
    else await this.commit([], () => state);
    return state;
  }

  /** One store transaction: the users, then the state built from the outcome (fenced when shared). */
  private async commit(users: BulkUser[], stateOf: (result: ImportBatchResult) => RunState): Promise<void> {
    const { fence } = this.options;
    await this.options.store.importBatch({
      connection: this.options.connection,
      runId: this.runId,
      users,
      ...(fence === undefined ? {} : { guard: { key: this.key, check: (current: JsonValue | undefined) => fence.check(current) } }),
      checkpoint: (result) => {
        const state = stateOf(result);
        return { key: this.key, value: fence === undefined ? (state as unknown as JsonValue) : fence.stamp(state) };
      },
    });
  }

  async close(): Promise<void> {
    this.dryRunKeys?.close();
    this.dryRunKeys = undefined;
  }
}
