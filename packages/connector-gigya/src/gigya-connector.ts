/**
 * The Gigya connector: trickle login and lookups against the accounts API, bulk export
 * through search cursors or from IdentitySync files — both with password hashes.
 */
import {
  ConfigError,
  type Connector,
  type ConnectorContext,
  DataError,
  type ExportOptions,
  type ExportPage,
  type ExportReject,
  type ImportRecord,
  type JsonValue,
  type LoginOutcome,
  type UserProfile,
} from '@ferry/core';
import { type AccountMapperOptions, mapAccount } from './account-mapper';
import { searchAccounts } from './cursor-export';
import type { GigyaAccount } from './gigya-account';
import { GigyaApi, LOOKUP_FIELDS } from './gigya-api';
import type { GigyaConfig } from './gigya-config';
import { LOGIN_FAILURES, LOGIN_PASSWORD_RIGHT } from './gigya-errors';
import { emailQuery } from './gigya-query';
import { type FileCheckpoint, listSyncFiles, readSyncFile, resumeAt } from './identity-sync-files';
import { importPassword } from './password-import';

/** Accounts per page when reading IdentitySync files. */
export const FILE_PAGE_SIZE = 500;

/** One account as an import record, or the reason it cannot be one. */
export function toRecord(account: GigyaAccount, mapper: AccountMapperOptions, row: string | number): { record: ImportRecord } | { reject: ExportReject } {
  const profile = mapAccount(account, mapper);
  const email = typeof account.profile?.email === 'string' ? account.profile.email : undefined;
  const ref = { row, ...(email === undefined ? {} : { email }) };
  if (profile === undefined) return { reject: { ref, code: 'missing_id', reason: 'The account has no UID.' } };
  const { metadata: _unused, ...fields } = profile;
  const password = importPassword(account.password);
  if (!password.ok) return { reject: { ref: { ...ref, user_id: profile.user_id }, code: password.code, reason: password.reason } };
  return { record: { ...fields, ...password.fields } };
}

/**
 * Create the connector. Login and getByEmail need API keys; exportUsers reads
 * `identitySync` files when set, else searches with cursors. HTTP goes through `context.http`.
 */
export function createGigyaConnector(config: GigyaConfig, context: ConnectorContext): Connector {
  const mapper: AccountMapperOptions = { appMetadataKeys: config.appMetadataKeys };
  const { apiKey, userKey, secret } = config;
  const hasApi = apiKey !== undefined && userKey !== undefined && secret !== undefined;
  if (!hasApi && config.identitySync === undefined) {
    throw new ConfigError('gigya_nothing_to_read', 'The Gigya connector needs API keys, IdentitySync files, or both.', {
      hint: 'Set apiKey, userKey and secret (trickle login, lookups, cursor export), and/or identitySync (bulk from dataflow files).',
    });
  }
  const http = hasApi
    ? context.http.create({ name: 'gigya', timeoutMs: config.timeoutMs, rateLimit: { ratePerSecond: config.requestsPerSecond }, headers: { accept: 'application/json' } })
    : undefined;
  const api = http ? new GigyaApi(http, { ...config, apiKey: apiKey!, userKey: userKey!, secret: secret! }) : undefined;

  async function login(identifier: string, password: string): Promise<LoginOutcome> {
    const envelope = await api!.login(identifier, password);
    const code = envelope.errorCode;
    const failure = LOGIN_FAILURES[code];
    if (failure !== undefined) return { ok: false, reason: failure };
    const flags = LOGIN_PASSWORD_RIGHT[code];
    if (code !== 0 && flags === undefined) throw api!.failure('accounts.login', envelope);
    // Pending logins may carry only a regToken; getAccountInfo accepts either.
    const by = typeof envelope.UID === 'string' ? { UID: envelope.UID } : typeof envelope.regToken === 'string' ? { regToken: envelope.regToken } : undefined;
    if (by === undefined) throw new DataError('gigya_bad_response', `Gigya accounts.login answered ${code} without a UID or regToken.`, { details: { errorCode: code } });
    const profile = mapAccount(await api!.getAccountInfo(by), mapper);
    if (profile === undefined) throw new DataError('gigya_bad_response', 'Gigya accounts.getAccountInfo answered without a UID.');
    return flags === undefined ? { ok: true, profile } : { ok: true, profile, flags };
  }

  async function getByEmail(email: string): Promise<UserProfile | null> {
    const page = await api!.search({ query: emailQuery(LOOKUP_FIELDS, email) });
    const wanted = email.trim().toLowerCase();
    const matches = page.results.filter((a) => (a.loginIDs?.emails ?? []).some((e) => typeof e === 'string' && e.toLowerCase() === wanted));
    if (matches.length > 1) {
      throw new DataError('ambiguous_email', `Gigya has ${matches.length} accounts with this email among their login IDs.`, {
        hint: 'Merge or delete the duplicates in Gigya (Identity Access), then retry.',
        details: { count: matches.length },
      });
    }
    return matches[0] === undefined ? null : (mapAccount(matches[0], mapper) ?? null);
  }

  function toPage(accounts: Array<{ account: GigyaAccount; row: string | number }>, rejects: ExportReject[], checkpoint: JsonValue): ExportPage {
    const records: ImportRecord[] = [];
    for (const { account, row } of accounts) {
      const out = toRecord(account, mapper, row);
      if ('record' in out) records.push(out.record);
      else rejects.push(out.reject);
    }
    return { records, rejects, checkpoint };
  }

  async function* exportFromSearch(options: ExportOptions): AsyncIterable<ExportPage> {
    const batches = searchAccounts(api!, { batchSize: config.export.batchSize, where: config.export.where, checkpoint: options.checkpoint, signal: options.signal, logger: context.logger });
    for await (const batch of batches) {
      const rows = batch.accounts.map((account) => ({ account, row: typeof account.UID === 'string' ? account.UID : 'no UID' }));
      yield toPage(rows, [], batch.checkpoint as unknown as JsonValue);
    }
  }

  async function* exportFromFiles(options: ExportOptions): AsyncIterable<ExportPage> {
    const files = await listSyncFiles(config.identitySync!, context.baseDir);
    const { fileIndex, skip } = resumeAt(files, options.checkpoint);
    for (let f = fileIndex; f < files.length; f++) {
      const file = files[f]!;
      const next = files[f + 1];
      let batch: Array<{ account: GigyaAccount; row: string }> = [];
      let rejects: ExportReject[] = [];
      let size = 0;
      for await (const element of readSyncFile(file, f === fileIndex ? skip : 0)) {
        const row = `${file.name}#${element.index}`;
        if ('account' in element) batch.push({ account: element.account, row });
        else rejects.push({ ref: { row }, code: 'unreadable_account', reason: `The account is ${element.error}.` });
        if (++size === FILE_PAGE_SIZE) {
          options.signal?.throwIfAborted();
          const cp: FileCheckpoint = { file: file.name, index: element.index + 1 };
          yield toPage(batch, rejects, cp as unknown as JsonValue);
          batch = [];
          rejects = [];
          size = 0;
        }
      }
      const cp: FileCheckpoint | null = next === undefined ? null : { file: next.name, index: 0 };
      if (size > 0 || cp === null) yield toPage(batch, rejects, cp as unknown as JsonValue);
    }
  }

  const connector: Connector = { id: 'gigya' };
  if (api) Object.assign(connector, { login, getByEmail });
  if (config.identitySync !== undefined) connector.exportUsers = exportFromFiles;
  else if (api) connector.exportUsers = exportFromSearch;
  if (http) connector.close = () => http.close();
  return connector;
}
