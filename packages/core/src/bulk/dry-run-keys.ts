/**
 * What a store dry run uses in place of the store's unique keys. A real run learns that a
 * record clashes with an earlier record of the same run from the store's indexes (the
 * earlier one was inserted); a dry run inserts nothing, so it keeps this run's user ids,
 * emails and usernames itself — in bounded memory ({@link SeenKeys}) over scratch
 * databases in a directory of their own (removed on close, or when the process exits;
 * about 90 bytes a user on disk) — and answers with the same
 * conflict, in the same order (user_id, then email, then username), as the store would.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { UserProfile } from '../contracts/profile';
import { normaliseKey, type BulkConflict, type ExistingUsers } from '../store/user-store';
import { SeenKeys } from './seen-keys';

/** This run's keys; see the module comment. */
export class DryRunKeys {
  private readonly dir: string;
  /** Each SeenKeys with the scratch database it logs to. */
  private readonly tables: Array<{ db: Database.Database; seen: SeenKeys }> = [];
  /** User ids and emails. */
  private readonly keys: SeenKeys;
  /** Usernames, kept as the "emails" of a second table (same lookups: key → owner). */
  private readonly usernames: SeenKeys;

  /** Removes the scratch directory if the process exits without {@link close} (e.g. a second Ctrl-C). */
  private readonly onExit = (): void => rmSync(this.dir, { recursive: true, force: true });

  /** Scratch space goes in a new directory under `parentDir` (default: the OS temp dir). */
  constructor(parentDir: string = tmpdir(), capacity?: number) {
    mkdirSync(parentDir, { recursive: true });
    this.dir = mkdtempSync(join(parentDir, 'ferry-dry-run-'));
    process.once('exit', this.onExit);
    try {
      this.keys = this.table('keys.db', capacity);
      this.usernames = this.table('usernames.db', capacity);
    } catch (err) {
      this.close();
      throw err;
    }
  }

  /** The user_ids, emails and usernames of `profiles`, to look up in the store in one call. */
  static lookupOf(profiles: readonly UserProfile[]): [userIds: string[], emails: string[], usernames: string[]] {
    const ids: string[] = [];
    const emails: string[] = [];
    const usernames: string[] = [];
    for (const p of profiles) {
      ids.push(p.user_id);
      if (p.email !== undefined) emails.push(p.email);
      if (p.username !== undefined) usernames.push(p.username);
    }
    return [ids, emails, usernames];
  }

  /**
   * The conflict the store would report for `profile` (given what it already holds), or
   * undefined when it would be created — then its keys are taken for the rest of the run.
   */
  claim(profile: UserProfile, existing: ExistingUsers): BulkConflict | undefined {
    const userId = profile.user_id;
    const ref = { userId, ...(profile.email === undefined ? {} : { email: profile.email }) };
    if (existing.userIds.has(userId)) return { ...ref, conflict: 'user_id', existingUserId: userId, sameRun: false };
    if (this.keys.hasUserId(userId)) return { ...ref, conflict: 'user_id', existingUserId: userId, sameRun: true };
    const email = profile.email === undefined ? undefined : normaliseKey(profile.email);
    if (email !== undefined) {
      const clash = this.clash(email, existing.emails, this.keys);
      if (clash) return { ...ref, conflict: 'email', ...clash };
    }
    const username = profile.username === undefined ? undefined : normaliseKey(profile.username);
    if (username !== undefined) {
      const clash = this.clash(username, existing.usernames, this.usernames);
      if (clash) return { ...ref, conflict: 'username', ...clash };
    }
    this.keys.addUserId(userId);
    if (email !== undefined) this.keys.addEmail(email, userId);
    if (username !== undefined) this.usernames.addEmail(username, userId);
    return undefined;
  }

  /** Log the batch's keys (the tables confirm matches against the log) and keep them. */
  endBatch(): void {
    for (const { db, seen } of this.tables) {
      db.transaction(() => seen.flush())();
      seen.committed();
    }
  }

  close(): void {
    for (const { db } of this.tables) if (db.open) db.close();
    rmSync(this.dir, { recursive: true, force: true });
    process.removeListener('exit', this.onExit);
  }

  private clash(key: string, inStore: Map<string, string>, inRun: SeenKeys): { existingUserId: string; sameRun: boolean } | undefined {
    const stored = inStore.get(key);
    if (stored !== undefined) return { existingUserId: stored, sameRun: false };
    const earlier = inRun.emailOwner(key);
    return earlier === undefined ? undefined : { existingUserId: earlier, sameRun: true };
  }

  private table(name: string, capacity: number | undefined): SeenKeys {
    const db = new Database(join(this.dir, name));
    try {
      // Scratch data, gone with the run: no journal, no syncs.
      db.pragma('journal_mode = OFF');
      db.pragma('synchronous = OFF');
      const seen = new SeenKeys(db, capacity);
      this.tables.push({ db, seen });
      return seen;
    } catch (err) {
      db.close();
      throw err;
    }
  }
}
