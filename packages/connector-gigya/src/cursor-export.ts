/**
 * Bulk export through `accounts.search` cursors. The query is ordered by UID, and each
 * page's checkpoint holds the next cursor id, the last UID handed out and when the
 * cursor was issued. Restart rule: a cursor Gigya no longer accepts (expired after
 * 5 minutes, or already used) is replaced by the same query opened afresh, skipping
 * every account whose UID sorts at or before the last committed one — nothing is lost
 * and nothing is exported twice, at the cost of re-reading the skipped accounts.
 */
import { DataError, type JsonValue, type Logger } from '@ferry/core';
import type { GigyaAccount } from './gigya-account';
import type { GigyaApi, SearchPage } from './gigya-api';
import { GIGYA_CODES } from './gigya-errors';
import { exportQuery } from './gigya-query';

/** Gigya drops a cursor 5 minutes after its last use; older checkpoints go straight to a restart. */
export const CURSOR_TTL_MS = 5 * 60_000;
const CURSOR_MARGIN_MS = 20_000;

/** Where a search export resumes. */
export interface SearchCheckpoint {
  /** The cursor to continue with. */
  cursorId: string;
  /** The UID of the last account of the committed page (null before the first). */
  lastUID: string | null;
  /** When Gigya issued `cursorId` (ms since the epoch). */
  issuedAt: number;
}

/** UID order as the export compares it (code units; Gigya UIDs are ASCII). */
function after(uid: string, lastUID: string | null): boolean {
  return lastUID === null || uid > lastUID;
}

function readCheckpoint(value: JsonValue | undefined): SearchCheckpoint | undefined {
  if (value === undefined || value === null) return undefined;
  const cp = value as Partial<SearchCheckpoint>;
  if (typeof value !== 'object' || typeof cp.cursorId !== 'string' || typeof cp.issuedAt !== 'number' || (cp.lastUID !== null && typeof cp.lastUID !== 'string')) {
    throw new DataError('checkpoint_invalid', 'The Gigya export checkpoint is not {cursorId, lastUID, issuedAt}.', { hint: 'Start the export afresh (drop the stored checkpoint).' });
  }
  return cp as SearchCheckpoint;
}

/** One page of accounts to map, and where to resume after it. */
export interface AccountBatch {
  accounts: GigyaAccount[];
  checkpoint: SearchCheckpoint | null;
}

/** Stream the site's accounts page by page from `checkpoint`, following the restart rule. */
export async function* searchAccounts(
  api: GigyaApi,
  options: { batchSize: number; where?: string | undefined; checkpoint?: JsonValue | undefined; signal?: AbortSignal | undefined; logger: Logger; now?: () => number },
): AsyncGenerator<AccountBatch> {
  const now = options.now ?? Date.now;
  const start = readCheckpoint(options.checkpoint);
  let lastUID = start?.lastUID ?? null;
  let cursor: { id: string; issuedAt: number } | undefined = start === undefined ? undefined : { id: start.cursorId, issuedAt: start.issuedAt };
  let page: SearchPage | undefined = undefined;
  if (start === undefined) page = await api.search({ query: exportQuery(options.batchSize, options.where), openCursor: true }, options.signal);

  for (;;) {
    options.signal?.throwIfAborted();
    if (page === undefined) {
      // Continue the cursor if Gigya may still hold it; else (or if it refuses) restart.
      const c = cursor as { id: string; issuedAt: number };
      const next = now() - c.issuedAt < CURSOR_TTL_MS - CURSOR_MARGIN_MS ? await api.continueCursor(c.id, options.signal) : undefined;
      if (next !== undefined && 'page' in next) page = next.page;
      else if (next !== undefined && next.envelope.errorCode !== GIGYA_CODES.invalidParameter) throw api.failure('accounts.search', next.envelope);
      else {
        options.logger.warn({ lastUID: lastUID === null ? null : 'set' }, 'Gigya search cursor expired or refused; reopening the query and skipping committed accounts');
        page = await api.search({ query: exportQuery(options.batchSize, options.where), openCursor: true }, options.signal);
      }
    }
    const issuedAt = now();
    const fresh: GigyaAccount[] = [];
    let previous = lastUID;
    for (const account of page.results) {
      const uid = typeof account.UID === 'string' ? account.UID : '';
      if (!after(uid, lastUID)) continue;
      if (previous !== null && uid <= previous) {
        throw new DataError('gigya_export_order', 'Gigya returned accounts out of UID order; a restarted export could not skip safely.', {
          hint: 'Report this with the callId of the search; meanwhile export from IdentitySync files.',
        });
      }
      previous = uid;
      fresh.push(account);
    }
    const last = fresh.at(-1)?.UID;
    if (typeof last === 'string') lastUID = last;
    const nextId = page.nextCursorId;
    const checkpoint = nextId === undefined ? null : { cursorId: nextId, lastUID, issuedAt };
    // Pages wholly skipped after a restart are not handed out; the last one always is.
    if (fresh.length > 0 || checkpoint === null) yield { accounts: fresh, checkpoint };
    if (nextId === undefined) return;
    cursor = { id: nextId, issuedAt };
    page = undefined;
  }
}
