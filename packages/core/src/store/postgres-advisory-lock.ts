/**
 * PostgreSQL advisory locks by name: how several Ferry processes serialise work that no
 * unique constraint can (schema migrations; later, claiming a bulk partition).
 */
import type { PoolClient } from 'pg';

/**
 * Take the transaction-scoped advisory lock `name` on `db` (inside `BEGIN`), waiting for
 * other holders. It is released at commit or rollback, so a crashed process never keeps it.
 * Names hash to a 64-bit key with `hashtextextended`, scoped to the current database.
 */
export async function withAdvisoryXactLock(db: Pick<PoolClient, 'query'>, name: string): Promise<void> {
  await db.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [name]);
}

/** Like {@link withAdvisoryXactLock} without waiting: false when another transaction holds it. */
export async function tryAdvisoryXactLock(db: Pick<PoolClient, 'query'>, name: string): Promise<boolean> {
  const rows = (await db.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS ok', [name])).rows;
  return rows[0]?.ok === true;
}
