/**
 * `importBatch` for PostgreSQL: a whole batch in a few multi-row statements (`unnest`
 * arrays) inside the caller's transaction, with the SQLite store's row-by-row outcome.
 *
 * `INSERT … ON CONFLICT DO NOTHING` skips any user whose id, email or username is taken,
 * whether by an older user, a concurrent trickle login (which then keeps its credential:
 * a bulk import never overwrites) or a concurrent batch. Rows of the batch that share a
 * key with an earlier row go in a later round, so the earlier row wins exactly as it
 * would inserting one by one.
 */
import type { PoolClient } from 'pg';
import { FerryError } from '../errors';
import { SET_SETTING, encodeHash } from './postgres-rows';
import type { JsonValue } from '../contracts/profile';
import { normaliseKey, type BulkConflict, type BulkUser, type ImportBatch, type ImportBatchResult } from './user-store';

interface Row {
  index: number;
  user: BulkUser;
  id: string;
  email: string | null;
  username: string | null;
}

/** Import `batch` on `db`, which must be inside a transaction. */
export async function importBatchInto(db: Pick<PoolClient, 'query'>, batch: ImportBatch): Promise<ImportBatchResult> {
  const { connection, runId } = batch;
  if (batch.guard) {
    // FOR UPDATE holds the row until the commit, so a concurrent compare-and-set waits for us.
    const rows = (await db.query<{ value: JsonValue }>('SELECT value FROM settings WHERE key = $1 FOR UPDATE', [batch.guard.key])).rows;
    batch.guard.check(rows[0]?.value);
  }
  let pending: Row[] = batch.users.map((user, index) => ({
    index,
    user,
    id: user.profile.user_id,
    email: user.profile.email === undefined ? null : normaliseKey(user.profile.email),
    username: user.profile.username === undefined ? null : normaliseKey(user.profile.username),
  }));
  const created: Row[] = [];
  const refused: Row[] = [];
  while (pending.length > 0) {
    const { round, later } = splitRound(pending);
    const inserted = new Set(await insertUsers(db, connection, round));
    for (const row of round) (inserted.has(row.id) ? created : refused).push(row);
    pending = later;
  }
  created.sort((a, b) => a.index - b.index);
  await insertCredentials(db, connection, created);
  await db.query(
    `INSERT INTO migration_log (at, connection, event, user_id, email, detail)
     SELECT now(), $1, 'migrated', t.user_id, t.email, jsonb_build_object('run', $2::text)
     FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS t(user_id, email, ord) ORDER BY t.ord`,
    [connection, runId, created.map((r) => r.id), created.map((r) => r.user.profile.email ?? null)],
  );
  const result: ImportBatchResult = { created: created.length, conflicts: await describeConflicts(db, connection, runId, refused) };
  if (batch.checkpoint) {
    const { key, value } = batch.checkpoint(result);
    await db.query(SET_SETTING, [key, JSON.stringify(value)]);
  }
  return result;
}

/** Rows sharing no key with any earlier pending row go now; the others wait for a later round. */
function splitRound(pending: Row[]): { round: Row[]; later: Row[] } {
  const claimed = new Set<string>();
  const round: Row[] = [];
  const later: Row[] = [];
  for (const row of pending) {
    const keys = [`i:${row.id}`, ...(row.email === null ? [] : [`e:${row.email}`]), ...(row.username === null ? [] : [`n:${row.username}`])];
    (keys.some((k) => claimed.has(k)) ? later : round).push(row);
    for (const k of keys) claimed.add(k);
  }
  return { round, later };
}

async function insertUsers(db: Pick<PoolClient, 'query'>, connection: string, rows: Row[]): Promise<string[]> {
  const result = await db.query<{ user_id: string }>(
    `INSERT INTO users (connection, user_id, email_lower, username_lower, profile, blocked, origin, migrated_at, created_at, updated_at)
     SELECT $1, t.user_id, t.email_lower, t.username_lower, t.profile::jsonb, t.blocked, 'bulk', now(), now(), now()
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[]) WITH ORDINALITY AS t(user_id, email_lower, username_lower, profile, blocked, ord)
     ORDER BY t.ord
     ON CONFLICT DO NOTHING RETURNING user_id`,
    [
      connection,
      rows.map((r) => r.id),
      rows.map((r) => r.email),
      rows.map((r) => r.username),
      rows.map((r) => JSON.stringify(r.user.profile)),
      rows.map((r) => r.user.profile.blocked === true),
    ],
  );
  return result.rows.map((r) => r.user_id);
}

async function insertCredentials(db: Pick<PoolClient, 'query'>, connection: string, created: Row[]): Promise<void> {
  const withHash = created.filter((r) => r.user.credential !== undefined);
  if (withHash.length === 0) return;
  await db.query(
    `INSERT INTO credentials (connection, user_id, hash, scheme, source, updated_at)
     SELECT $1, t.user_id, t.hash, t.scheme, 'bulk', now() FROM unnest($2::text[], $3::text[], $4::text[]) AS t(user_id, hash, scheme)
     ON CONFLICT (connection, user_id) DO NOTHING`,
    [connection, withHash.map((r) => r.id), withHash.map((r) => encodeHash(r.user.credential!.hash)), withHash.map((r) => r.user.credential!.scheme)],
  );
}

async function describeConflicts(db: Pick<PoolClient, 'query'>, connection: string, runId: string, refused: Row[]): Promise<BulkConflict[]> {
  if (refused.length === 0) return [];
  refused.sort((a, b) => a.index - b.index);
  const holders = (
    await db.query<{ user_id: string; email_lower: string | null; username_lower: string | null }>(
      `SELECT user_id, email_lower, username_lower FROM users
       WHERE connection = $1 AND (user_id = ANY($2::text[]) OR email_lower = ANY($3::text[]) OR username_lower = ANY($4::text[]))`,
      [connection, refused.map((r) => r.id), refused.flatMap((r) => (r.email === null ? [] : [r.email])), refused.flatMap((r) => (r.username === null ? [] : [r.username]))],
    )
  ).rows;
  const byId = new Map(holders.map((h) => [h.user_id, h.user_id]));
  const byEmail = new Map(holders.flatMap((h) => (h.email_lower === null ? [] : [[h.email_lower, h.user_id] as const])));
  const byUsername = new Map(holders.flatMap((h) => (h.username_lower === null ? [] : [[h.username_lower, h.user_id] as const])));
  const found = refused.map((row) => {
    const hit: [BulkConflict['conflict'], string | undefined][] = [
      ['user_id', byId.get(row.id)],
      ['email', row.email === null ? undefined : byEmail.get(row.email)],
      ['username', row.username === null ? undefined : byUsername.get(row.username)],
    ];
    const [conflict, existingUserId] = hit.find(([, id]) => id !== undefined) ?? [];
    if (conflict === undefined || existingUserId === undefined) {
      throw new FerryError('store_conflict_unexplained', 'internal', `Insert of user '${row.id}' was refused but no conflicting user was found.`);
    }
    return { row, conflict, existingUserId };
  });
  const sameRun = new Set(
    (
      await db.query<{ user_id: string }>(
        `SELECT DISTINCT user_id FROM migration_log WHERE connection = $1 AND event = 'migrated' AND user_id = ANY($2::text[]) AND detail->>'run' = $3`,
        [connection, found.map((f) => f.existingUserId), runId],
      )
    ).rows.map((r) => r.user_id),
  );
  return found.map(({ row, conflict, existingUserId }) => ({
    userId: row.id,
    ...(row.user.profile.email === undefined ? {} : { email: row.user.profile.email }),
    conflict,
    existingUserId,
    sameRun: sameRun.has(existingUserId),
  }));
}
