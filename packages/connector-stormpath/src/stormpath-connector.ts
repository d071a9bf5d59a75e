/**
 * The Stormpath connector: trickle login and lookups against the API, bulk export from
 * the API (profiles only) or from an export directory (profiles and password hashes).
 */
import { isAbsolute, resolve } from 'node:path';
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
import { mapAccount, type AccountMapperOptions } from './account-mapper';
import { listAccountFiles, readAccountFiles, resumeIndex, type DirectoryCheckpoint } from './export-directory';
import { LOGIN_FAILURES } from './login-errors';
import { importPassword } from './password-import';
import { accountIdOf, type StormpathAccount } from './stormpath-account';
import { MAX_PAGE_SIZE, StormpathApi } from './stormpath-api';
import { DEFAULT_BASE_URL, type StormpathConfig } from './stormpath-config';

/** Accounts per page when reading an export directory. */
const DIRECTORY_PAGE_SIZE = 500;

/** One account as an import record, or the reason it cannot be one. */
function toRecord(account: StormpathAccount, mapper: AccountMapperOptions, row: string | number): { record: ImportRecord } | { reject: ExportReject } {
  const profile = mapAccount(account, mapper);
  const ref = { row, ...(typeof account.email === 'string' ? { email: account.email } : {}) };
  if (profile === undefined) return { reject: { ref, code: 'missing_id', reason: 'The account has neither id nor href.' } };
  const { metadata: _unused, ...fields } = profile;
  const password = importPassword(typeof account.password === 'string' ? account.password : null);
  if (!password.ok) return { reject: { ref: { ...ref, user_id: profile.user_id }, code: password.code, reason: password.reason } };
  return { record: { ...fields, ...password.fields } };
}

function toPage(accounts: Array<{ account: StormpathAccount; row: string | number }>, mapper: AccountMapperOptions, checkpoint: JsonValue): ExportPage {
  const records: ImportRecord[] = [];
  const rejects: ExportReject[] = [];
  for (const { account, row } of accounts) {
    const out = toRecord(account, mapper, row);
    if ('record' in out) records.push(out.record);
    else rejects.push(out.reject);
  }
  return { records, rejects, checkpoint };
}

/**
 * Create the connector. Login and getByEmail need API credentials; exportUsers reads
 * `exportDir` when set, else pages through the API. HTTP goes through `context.http`.
 */
export function createStormpathConnector(config: StormpathConfig, context: ConnectorContext): Connector {
  const mapper: AccountMapperOptions = { appMetadataKeys: config.appMetadataKeys ?? [] };
  const exportDir = config.exportDir === undefined ? undefined : isAbsolute(config.exportDir) ? config.exportDir : resolve(context.baseDir, config.exportDir);
  const { applicationId, apiKeyId, apiKeySecret } = config;
  const hasApi = applicationId !== undefined && apiKeyId !== undefined && apiKeySecret !== undefined;
  if (!hasApi && exportDir === undefined) {
    throw new ConfigError('stormpath_nothing_to_read', 'The Stormpath connector needs API credentials, an export directory, or both.', {
      hint: 'Set applicationId, apiKeyId and apiKeySecret (trickle login and lookups), and/or exportDir (bulk with password hashes).',
    });
  }
  const http = hasApi
    ? context.http.create({
        name: 'stormpath',
        baseUrl: config.baseUrl ?? DEFAULT_BASE_URL,
        headers: { authorization: `Basic ${Buffer.from(`${apiKeyId}:${apiKeySecret}`, 'utf8').toString('base64')}`, accept: 'application/json' },
        rateLimit: { ratePerSecond: config.requestsPerSecond ?? 10 },
      })
    : undefined;
  const api = http && applicationId !== undefined ? new StormpathApi(http, applicationId, config.accountStore) : undefined;

  async function login(identifier: string, password: string): Promise<LoginOutcome> {
    const attempt = await api!.loginAttempt(identifier, password);
    if (!attempt.ok) {
      const reason = attempt.code === undefined ? undefined : LOGIN_FAILURES[attempt.code];
      if (reason !== undefined) return { ok: false, reason };
      throw new DataError('stormpath_login_rejected', `Stormpath refused the login attempt with code ${attempt.code ?? 'none'}.`, {
        hint: 'See https://docs.stormpath.com/errors for the code; 7XXX codes other than 7100–7107 are not login outcomes.',
        details: { code: attempt.code },
      });
    }
    const accountId = accountIdOf({ href: attempt.accountHref });
    const profile = accountId === undefined ? undefined : mapAccount(await api!.getAccount(accountId), mapper);
    if (profile === undefined) throw new DataError('stormpath_bad_response', 'Stormpath accepted the login but its account href has no id.');
    return { ok: true, profile };
  }

  // An exact attribute search, never `?q=` (a contains-match across fields); several
  // hits are possible across directories, so only exact email matches count.
  async function getByEmail(email: string): Promise<UserProfile | null> {
    const page = await api!.listAccounts({ email }, 0);
    const wanted = email.toLowerCase();
    const matches = page.items.filter((a) => a.email?.toLowerCase() === wanted);
    if (matches.length > 1) {
      throw new DataError('ambiguous_email', `Stormpath has ${matches.length} accounts with this email in the application's account stores.`, {
        hint: 'Merge or delete the duplicates in Stormpath, or point accountStore at one directory.',
        details: { count: matches.length },
      });
    }
    return matches[0] === undefined ? null : (mapAccount(matches[0], mapper) ?? null);
  }

  async function* exportFromApi(options: ExportOptions): AsyncIterable<ExportPage> {
    let offset = typeof options.checkpoint === 'number' ? options.checkpoint : 0;
    for (;;) {
      options.signal?.throwIfAborted();
      const page = await api!.listAccounts({}, offset);
      const rows = page.items.map((account, i) => ({ account, row: offset + i }));
      offset += page.items.length;
      const done = page.items.length < MAX_PAGE_SIZE;
      yield toPage(rows, mapper, done ? null : offset);
      if (done) return;
    }
  }

  async function* exportFromDirectory(root: string, options: ExportOptions): AsyncIterable<ExportPage> {
    const files = await listAccountFiles(root);
    for (let start = resumeIndex(files, options.checkpoint); start < files.length; start += DIRECTORY_PAGE_SIZE) {
      options.signal?.throwIfAborted();
      const batch = await readAccountFiles(root, files.slice(start, start + DIRECTORY_PAGE_SIZE));
      const end = start + batch.length;
      const checkpoint: DirectoryCheckpoint | null = end >= files.length ? null : { after: files[end - 1] as string, position: end };
      const page = toPage(
        batch.flatMap((f) => ('account' in f ? [{ account: f.account, row: f.path }] : [])),
        mapper,
        checkpoint as unknown as JsonValue,
      );
      for (const f of batch) if ('error' in f) page.rejects?.push({ ref: { row: f.path }, code: 'unreadable_account', reason: `The account file is ${f.error}.` });
      yield page;
    }
  }

  const connector: Connector = { id: 'stormpath' };
  if (api) Object.assign(connector, { login, getByEmail });
  if (exportDir !== undefined) connector.exportUsers = (options) => exportFromDirectory(exportDir, options);
  else if (api) connector.exportUsers = exportFromApi;
  if (http) connector.close = () => http.close();
  return connector;
}
