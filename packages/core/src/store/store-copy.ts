/**
 * `ferry store copy`: move everything from one store to another — users with their
 * credentials, the migration log and settings — in batches (constant memory), keeping
 * timestamps. Re-running it is safe: users and settings already in the target are left
 * alone (the target always wins), and the log resumes after a checkpoint kept in the
 * target's settings, written in the same transaction as each log batch.
 */
import { ConfigError, DataError } from '../errors';
import type { JsonValue } from '../contracts/profile';
import type { StoredCredential, StoredLogEntry, StoredUser, UserStore } from './user-store';

/** Current and newest-known schema versions of a store. */
export interface SchemaVersion {
  current: number;
  latest: number;
}

/** A user with their credential, as dumped for copying. */
export interface DumpedUser {
  user: StoredUser;
  credential: StoredCredential | null;
}

/** A setting as dumped for copying. */
export interface DumpedSetting {
  key: string;
  value: JsonValue;
  updatedAt: string;
}

/** Row counts of a store (settings without copy checkpoints). */
export interface StoreCounts {
  users: number;
  credentials: number;
  log: number;
  settings: number;
}

/** Position in the user order: by connection, then user_id (byte-wise). */
export interface UserKey {
  connection: string;
  userId: string;
}

/** A store that can be read for copying. */
export interface StoreCopySource {
  readonly description: string;
  schemaVersion(): Promise<SchemaVersion>;
  counts(): Promise<StoreCounts>;
  /** Users after `after` in (connection, user_id) order. */
  dumpUsers(after: UserKey | undefined, limit: number): Promise<DumpedUser[]>;
  /** Log entries with an id above `afterId`, oldest first. */
  dumpLog(afterId: number, limit: number): Promise<StoredLogEntry[]>;
  /** Settings after `afterKey`, by key, without copy checkpoints. */
  dumpSettings(afterKey: string | undefined, limit: number): Promise<DumpedSetting[]>;
  close(): Promise<void>;
}

/** What {@link StoreCopyTarget.restoreUsers} did with a batch. */
export interface RestoredUsers {
  users: number;
  credentials: number;
  /** Users the target already held under the same id (left as they are). */
  present: number;
  /** Users not copied because the target holds their email or username under another id. */
  conflicts: Array<UserKey & { conflict: 'email' | 'username' }>;
}

/** A store that can be written by a copy. Nothing it holds is ever overwritten. */
export interface StoreCopyTarget {
  readonly description: string;
  counts(): Promise<StoreCounts>;
  restoreUsers(users: readonly DumpedUser[]): Promise<RestoredUsers>;
  /** Append log entries (new ids, same order) and set the checkpoint, in one transaction. */
  restoreLog(entries: readonly StoredLogEntry[], checkpoint: { key: string; value: JsonValue }): Promise<number>;
  restoreSettings(settings: readonly DumpedSetting[]): Promise<number>;
}

/** Settings keys of copy checkpoints: `store_copy:<source description>`. */
export const COPY_CHECKPOINT_PREFIX = 'store_copy:';

/** Options of {@link copyStore}. */
export interface CopyStoreOptions {
  /** Copy into a target that already holds data (users already there win). */
  merge?: boolean;
  /** Rows per batch (default 1000). */
  batchSize?: number;
  /** Called after each batch with the running totals. */
  onProgress?: (phase: 'users' | 'log' | 'settings', copied: StoreCounts) => void;
}

/** The result of {@link copyStore} (the `--json` shape of `ferry store copy`). */
export interface CopyStoreResult {
  from: string;
  to: string;
  /** `fresh`: the target was empty; `resume`: it holds an earlier copy of this source; `merge`: other data (`--merge`). */
  mode: 'fresh' | 'resume' | 'merge';
  source: StoreCounts;
  /** Rows written by this run. */
  copied: StoreCounts;
  /** Users the target already held under the same id. */
  alreadyPresent: number;
  /** How many users were not copied because another user holds their email or username. */
  conflictCount: number;
  /** The first {@link MAX_LISTED_CONFLICTS} of them. */
  conflicts: RestoredUsers['conflicts'];
  /** Target counts before and after. */
  targetBefore: StoreCounts;
  targetAfter: StoreCounts;
}

/** Conflicts listed in a result (the count is always exact). */
export const MAX_LISTED_CONFLICTS = 100;

const ZERO: StoreCounts = { users: 0, credentials: 0, log: 0, settings: 0 };

/**
 * Copy `source` into `target` (migrating the target's schema first). Refuses a non-empty
 * target unless it holds an earlier copy of the same source or `merge` is set, and
 * verifies the counts at the end: the target grew by exactly what was written, and a
 * fresh target equals the source.
 */
export async function copyStore(source: StoreCopySource, target: UserStore & StoreCopyTarget, options: CopyStoreOptions = {}): Promise<CopyStoreResult> {
  const batchSize = options.batchSize ?? 1000;
  const version = await source.schemaVersion();
  if (version.current !== version.latest) {
    throw new ConfigError('store_copy_source_schema', `The source store's schema is version ${version.current}; this Ferry copies version ${version.latest}.`, {
      hint: version.current < version.latest ? `Run 'ferry store migrate --store <source>' first.` : 'Upgrade Ferry.',
    });
  }
  await target.migrate();
  const checkpointKey = `${COPY_CHECKPOINT_PREFIX}${source.description}`;
  const checkpoint = (await target.getSetting(checkpointKey)) as { logAfterId?: number } | undefined;
  const targetBefore = await target.counts();
  const empty = targetBefore.users + targetBefore.log + targetBefore.settings === 0;
  const mode = checkpoint !== undefined ? 'resume' : empty ? 'fresh' : 'merge';
  if (mode === 'merge' && options.merge !== true) {
    throw new ConfigError('store_copy_target_not_empty', `The target store ${target.description} already holds data (${targetBefore.users} users, ${targetBefore.log} log entries, ${targetBefore.settings} settings).`, {
      hint: 'Copy into an empty database or schema, or pass --merge to add to it (users and settings already there are kept).',
      details: { target: targetBefore },
    });
  }
  // Mark the copy before writing anything, so an interrupted run can be resumed without --merge.
  if (checkpoint === undefined) await target.compareAndSetSetting(checkpointKey, undefined, { logAfterId: 0 });
  const sourceBefore = await source.counts();
  const copied = { ...ZERO };
  let alreadyPresent = 0;
  let conflictCount = 0;
  const conflicts: RestoredUsers['conflicts'] = [];

  for (let after: UserKey | undefined; ; ) {
    const batch = await source.dumpUsers(after, batchSize);
    if (batch.length === 0) break;
    const r = await target.restoreUsers(batch);
    copied.users += r.users;
    copied.credentials += r.credentials;
    alreadyPresent += r.present;
    conflictCount += r.conflicts.length;
    conflicts.push(...r.conflicts.slice(0, Math.max(0, MAX_LISTED_CONFLICTS - conflicts.length)));
    const last = batch[batch.length - 1]!.user;
    after = { connection: last.connection, userId: last.profile.user_id };
    options.onProgress?.('users', copied);
  }
  for (let afterId = checkpoint?.logAfterId ?? 0; ; ) {
    const entries = await source.dumpLog(afterId, batchSize);
    if (entries.length === 0) break;
    afterId = entries[entries.length - 1]!.id;
    copied.log += await target.restoreLog(entries, { key: checkpointKey, value: { logAfterId: afterId } });
    options.onProgress?.('log', copied);
  }
  for (let afterKey: string | undefined; ; ) {
    const settings = await source.dumpSettings(afterKey, batchSize);
    if (settings.length === 0) break;
    copied.settings += await target.restoreSettings(settings);
    afterKey = settings[settings.length - 1]!.key;
    options.onProgress?.('settings', copied);
  }

  const targetAfter = await target.counts();
  const source_ = await source.counts();
  const grewBy = (k: keyof StoreCounts) => targetAfter[k] - targetBefore[k] === copied[k];
  const mismatched = (Object.keys(ZERO) as (keyof StoreCounts)[]).filter((k) => !grewBy(k) || (mode === 'fresh' && targetAfter[k] !== source_[k]));
  if (mismatched.length > 0) {
    throw new DataError('store_copy_mismatch', `After the copy, the counts of ${mismatched.join(', ')} do not match.`, {
      hint:
        source_.users !== sourceBefore.users || source_.log !== sourceBefore.log
          ? 'The source changed during the copy: stop Ferry on the source and run the same command again (it resumes).'
          : 'Something else wrote to the target during the copy: stop it and run the same command again with --merge.',
      details: { source: source_, copied, targetBefore, targetAfter },
    });
  }
  return { from: source.description, to: target.description, mode, source: source_, copied, alreadyPresent, conflictCount, conflicts, targetBefore, targetAfter };
}
