/**
 * The Gigya methods Ferry calls, over the core HTTP client: form-encoded POSTs with
 * server credentials (or a signature), the always-200 envelope read from `errorCode`,
 * and backoff on the envelope's transient codes (the HTTP client only sees 200s).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelayMs, DataError, type HttpClient, type RetryOptions } from '@ferry/core';
import type { GigyaAccount } from './gigya-account';
import type { GigyaConfig } from './gigya-config';
import { envelopeError, type GigyaEnvelope, isTransientCode } from './gigya-errors';
import { signParams } from './gigya-signature';

/** What every account read includes, so login and lookups map the same profile. */
export const ACCOUNT_INCLUDE = 'profile,data,emails,loginIDs';

/** The fields a lookup selects: the mapper's inputs, never the password. */
export const LOOKUP_FIELDS = 'UID, profile, data, emails, loginIDs, isActive, isVerified';

/** One page of `accounts.search`. */
export interface SearchPage {
  results: GigyaAccount[];
  nextCursorId?: string;
  totalCount?: number;
}

/** A typed view of the Gigya accounts API for one site. */
export class GigyaApi {
  private readonly root: string;
  private readonly retry: RetryOptions;

  constructor(
    private readonly http: HttpClient,
    private readonly config: GigyaConfig & { apiKey: string; userKey: string; secret: string },
  ) {
    this.root = config.baseUrl.replace('{dataCenter}', config.dataCenter).replace(/\/+$/, '');
    this.retry = { ...config.retries, maxTotalWaitMs: 120_000 };
  }

  /**
   * Call `method` and return its envelope, whatever its errorCode, except transient
   * codes: those are retried with backoff and then thrown as `TransientError`.
   */
  async call(method: string, params: Record<string, string>, options: { idempotent: boolean; signal?: AbortSignal | undefined }): Promise<GigyaEnvelope> {
    const url = `${this.root}/${method}`;
    for (let attempt = 1; ; attempt++) {
      const res = await this.http.post(url, { body: new URLSearchParams(this.credentials(url, params)), idempotent: options.idempotent, signal: options.signal });
      if (res.status !== 200) {
        throw new DataError('gigya_bad_response', `Gigya ${method} answered HTTP ${res.status} instead of an envelope.`, {
          hint: 'Check baseUrl and dataCenter; a proxy in front of Gigya may be answering.',
          details: { method, status: res.status },
        });
      }
      const envelope = res.json<GigyaEnvelope>();
      if (typeof envelope?.errorCode !== 'number') throw new DataError('gigya_bad_response', `Gigya ${method} answered without an errorCode.`, { details: { method } });
      if (!isTransientCode(envelope.errorCode) || attempt >= this.retry.maxAttempts) return envelope;
      await sleep(backoffDelayMs(attempt, this.retry), undefined, { signal: options.signal });
    }
  }

  /** Like {@link call}, but any non-zero errorCode is thrown as a typed error. */
  async ok(method: string, params: Record<string, string>, options: { idempotent: boolean; signal?: AbortSignal | undefined }): Promise<GigyaEnvelope> {
    const envelope = await this.call(method, params, options);
    if (envelope.errorCode !== 0) throw envelopeError(method, envelope, this.config.dataCenter);
    return envelope;
  }

  /** `accounts.login`; the envelope is returned as is so the caller can read login codes. */
  login(loginID: string, password: string): Promise<GigyaEnvelope> {
    // Not idempotent: a repeated wrong password counts towards Gigya's lockout.
    return this.call('accounts.login', { loginID, password, include: ACCOUNT_INCLUDE, targetEnv: 'mobile' }, { idempotent: false });
  }

  /** `accounts.getAccountInfo` by UID (or by the regToken of a pending login). */
  async getAccountInfo(by: { UID: string } | { regToken: string }): Promise<GigyaAccount> {
    return (await this.ok('accounts.getAccountInfo', { ...by, include: ACCOUNT_INCLUDE }, { idempotent: true })) as unknown as GigyaAccount;
  }

  /** `accounts.search` with a query (optionally opening a cursor) or a cursor id. */
  async search(params: { query: string; openCursor?: boolean } | { cursorId: string }, signal?: AbortSignal): Promise<SearchPage> {
    const form: Record<string, string> = 'query' in params ? { query: params.query, ...(params.openCursor ? { openCursor: 'true' } : {}) } : { cursorId: params.cursorId };
    const envelope = await this.ok('accounts.search', { ...form, timeout: '60000' }, { idempotent: true, signal });
    return this.searchPage(envelope);
  }

  /** The raw envelope of a cursor continuation, so an expired cursor can be told apart. */
  async continueCursor(cursorId: string, signal?: AbortSignal): Promise<{ page: SearchPage } | { envelope: GigyaEnvelope }> {
    const envelope = await this.call('accounts.search', { cursorId, timeout: '60000' }, { idempotent: true, signal });
    return envelope.errorCode === 0 ? { page: this.searchPage(envelope) } : { envelope };
  }

  /** The typed error for a non-zero envelope of `method`. */
  failure(method: string, envelope: GigyaEnvelope): Error {
    return envelopeError(method, envelope, this.config.dataCenter);
  }

  private searchPage(envelope: GigyaEnvelope): SearchPage {
    if (!Array.isArray(envelope.results)) throw new DataError('gigya_bad_response', 'Gigya accounts.search answered without results.');
    const page: SearchPage = { results: envelope.results as GigyaAccount[] };
    if (typeof envelope.nextCursorId === 'string' && envelope.nextCursorId !== '') page.nextCursorId = envelope.nextCursorId;
    if (typeof envelope.totalCount === 'number') page.totalCount = envelope.totalCount;
    return page;
  }

  private credentials(url: string, params: Record<string, string>): Record<string, string> {
    const base = { ...params, apiKey: this.config.apiKey, userKey: this.config.userKey, format: 'json' };
    if (this.config.auth === 'signed') return signParams(this.config.secret, url, base);
    return { ...base, secret: this.config.secret };
  }
}
