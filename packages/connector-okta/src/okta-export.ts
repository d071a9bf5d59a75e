/**
 * Bulk export: every user through `GET /api/v1/users`, page by page, following the
 * `rel="next"` cursor. The checkpoint is that cursor (`after`), null at the end. Okta
 * never returns password hashes, so records carry none: those users get their password
 * later, through trickle migration.
 */
import { backoffDelayMs, ConfigError, DEFAULT_RETRY_OPTIONS, type ExportOptions, type ExportPage, isErrorClass, TransientError } from '@ferry/core';
import type { OktaConfig } from './okta-config';
import type { ProfileMapping } from './okta-profile';
import { toUserProfile } from './okta-profile';
import type { ListQuery, OktaUsersApi } from './okta-users';

/** Attempts per page, across page-size halvings (200 → 6) and transient failures. */
const MAX_PAGE_ATTEMPTS = 6;

function startCursor(checkpoint: unknown): string | undefined | null {
  if (checkpoint === undefined || checkpoint === null || typeof checkpoint === 'string') return checkpoint;
  throw new ConfigError('checkpoint_invalid', 'The Okta export checkpoint must be the `after` cursor string or null', {
    hint: 'Restart the export without a checkpoint.',
  });
}

/**
 * Fetch one page. A 500 on a list page is usually Okta timing out on it, so 5xx and
 * timeouts halve the page size; other transient failures retry the same page.
 */
async function fetchPage(users: OktaUsersApi, query: ListQuery, signal: AbortSignal | undefined) {
  let limit = query.limit;
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    try {
      const result = await users.list({ ...query, limit });
      if (!('serverError' in result)) return result;
      if (attempt >= MAX_PAGE_ATTEMPTS) {
        throw new TransientError('http_5xx', `Listing Okta users answered HTTP ${result.serverError} even with ${limit}-user pages`, {
          hint: 'Okta is failing on this page; resume the export later from its checkpoint.',
          details: { status: result.serverError, limit },
        });
      }
      limit = Math.max(1, Math.floor(limit / 2));
    } catch (err) {
      if (!isErrorClass(err, 'transient') || attempt >= MAX_PAGE_ATTEMPTS || err.code === 'http_5xx') throw err;
      if (err.code === 'http_timeout') limit = Math.max(1, Math.floor(limit / 2));
      // After a 429 the core client waits for the announced reset on its own.
      else if (err.code !== 'http_rate_limited') await new Promise((r) => setTimeout(r, backoffDelayMs(attempt, DEFAULT_RETRY_OPTIONS)));
    }
  }
}

/** Yield every Okta user as an import record, resuming after `options.checkpoint`. */
export async function* exportOktaUsers(users: OktaUsersApi, config: OktaConfig, mapping: ProfileMapping, options: ExportOptions): AsyncGenerator<ExportPage> {
  let after = startCursor(options.checkpoint);
  if (after === null) return; // the checkpoint of the last page: nothing left
  const { pageSize, filter, search } = config.export;
  for (;;) {
    const page = await fetchPage(users, { limit: pageSize, after, filter, search }, options.signal);
    yield { records: page.users.map((u) => toUserProfile(u, mapping)), checkpoint: page.after };
    if (page.after === null) return;
    after = page.after;
  }
}
