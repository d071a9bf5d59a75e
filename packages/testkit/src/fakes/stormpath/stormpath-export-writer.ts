/**
 * Writes Stormpath export directories in both layouts Ferry reads, deterministically
 * from a seed: `stormpath-export` (`{tenant}/accounts/{id}.json`, no passwords) and the
 * support export (`{tenant}/accounts/{directoryId}/{id}.json` with a `password`).
 */
import { createHash, createHmac } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JsonObject } from '@ferry/core';
import { nativeBcrypt } from '../../legacy/bcrypt-native';
import { passwordFor, type Seed, SeededRandom } from '../../legacy/seeded-random';

/** Password formats the support layout can hold (`none`: no password; `unknown`: a prefix Ferry does not know). */
export type StormpathExportPasswordFormat = 'bcrypt' | 'stormpath2-sha256' | 'stormpath2-sha512-iterated' | 'stormpath1' | 'none' | 'unknown';

/** Options of {@link writeStormpathExport}. */
export interface WriteStormpathExportOptions {
  layout: 'stormpath-export' | 'support';
  /** Accounts to write. */
  count: number;
  seed?: Seed;
  tenantId?: string;
  /** Directories the accounts are spread over (support layout). Default 2. */
  directories?: number;
  /** Password formats, cycled by account index (support layout). */
  passwordFormats?: readonly StormpathExportPasswordFormat[];
  /** bcrypt cost. Default 4 (cheap). */
  bcryptCost?: number;
  /** Iterations of `stormpath2-sha512-iterated`. Default 16. */
  stormpath2Iterations?: number;
  /** Every n-th account is DISABLED (default 10; 0 = none). */
  disabledEvery?: number;
}

/** One generated account, with its plaintext password for login checks. */
export interface StormpathExportAccount {
  id: string;
  email: string;
  password: string;
  format: StormpathExportPasswordFormat | 'none';
  status: 'ENABLED' | 'DISABLED';
  groups: string[];
  /** Path of the account file relative to the export root. */
  file: string;
}

/** What {@link writeStormpathExport} wrote. */
export interface WriteStormpathExportResult {
  /** The tenant folder (`{dir}/{tenantId}`). */
  tenantDir: string;
  count: number;
  byFormat: Record<string, number>;
}

const DEFAULT_FORMATS: readonly StormpathExportPasswordFormat[] = ['bcrypt', 'stormpath2-sha256', 'stormpath2-sha512-iterated', 'stormpath1', 'none'];
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const GROUPS = ['admins', 'editors', 'users'];

/** The i-th account of an export written with `options` (same result as the writer). */
export function stormpathExportAccountAt(i: number, options: WriteStormpathExportOptions): StormpathExportAccount {
  const rng = new SeededRandom(options.seed ?? 'stormpath', i, 'stormpath-account');
  const id = rng.chars(22, ALNUM);
  const formats = options.passwordFormats ?? DEFAULT_FORMATS;
  const format = options.layout === 'support' ? (formats[i % formats.length] ?? 'none') : 'none';
  const disabledEvery = options.disabledEvery ?? 10;
  const directory = `dir${(i % (options.directories ?? 2)) + 1}`;
  const file = options.layout === 'support' ? `accounts/${directory}/${id}.json` : `accounts/${id}.json`;
  return {
    id,
    email: `user${i}@stormpath.example`,
    password: passwordFor(options.seed ?? 'stormpath', i),
    format,
    status: disabledEvery > 0 && i % disabledEvery === disabledEvery - 1 ? 'DISABLED' : 'ENABLED',
    groups: i % 3 === 0 ? [] : [GROUPS[i % GROUPS.length] as string],
    file,
  };
}

async function hashFor(a: StormpathExportAccount, rng: SeededRandom, options: WriteStormpathExportOptions): Promise<string | null> {
  const salt = rng.bytes(16);
  switch (a.format) {
    case 'none':
      return null;
    case 'bcrypt':
      return nativeBcrypt().hash(a.password, options.bcryptCost ?? 4, salt);
    case 'stormpath2-sha256':
      return `$stormpath2$SHA-256$1$${salt.toString('base64')}$${createHash('sha256').update(salt).update(a.password, 'utf8').digest('base64')}`;
    case 'stormpath2-sha512-iterated': {
      const iterations = options.stormpath2Iterations ?? 16;
      let h = createHash('sha512').update(salt).update(a.password, 'utf8').digest();
      for (let n = 1; n < iterations; n++) h = createHash('sha512').update(h).digest();
      return `$stormpath2$SHA-512$${iterations}$${salt.toString('base64')}$${h.toString('base64')}`;
    }
    case 'stormpath1':
      return `$stormpath1$${salt.toString('base64')}$${createHmac('sha256', salt).update(a.password, 'utf8').digest('base64')}`;
    case 'unknown':
      return `$sha1$${salt.toString('hex')}$${createHash('sha1').update(a.password).digest('hex')}`;
  }
}

async function accountJson(i: number, a: StormpathExportAccount, options: WriteStormpathExportOptions): Promise<JsonObject> {
  const base = 'https://api.stormpath.com/v1';
  const rng = new SeededRandom(options.seed ?? 'stormpath', i, 'stormpath-hash');
  const directoryId = a.file.split('/')[1] ?? 'dir1';
  const json: JsonObject = {
    id: a.id,
    href: `${base}/accounts/${a.id}`,
    username: i % 4 === 0 ? a.email : `user${i}`,
    email: a.email,
    givenName: `Given${i}`,
    middleName: i % 5 === 0 ? 'Q' : null,
    surname: `Surname${i}`,
    fullName: `Given${i}${i % 5 === 0 ? ' Q' : ''} Surname${i}`,
    status: a.status,
    createdAt: new Date(Date.UTC(2015, 0, 1) + i * 60_000).toISOString(),
    modifiedAt: new Date(Date.UTC(2016, 0, 1) + i * 60_000).toISOString(),
    customData: { href: `${base}/accounts/${a.id}/customData`, plan: i % 2 === 0 ? 'pro' : 'free', favoriteColor: ['red', 'green', 'blue'][i % 3] ?? 'red' },
    groups: a.groups.map((name) => ({ href: `${base}/groups/${name}`, name })),
    directory: { href: `${base}/directories/${directoryId}`, name: directoryId },
  };
  if (options.layout === 'stormpath-export') {
    json.apiKeys = [];
  } else {
    json.emailVerificationStatus = i % 7 === 6 ? 'UNVERIFIED' : 'VERIFIED';
    json.externalId = null;
    const password = await hashFor(a, rng, options);
    if (password !== null) json.password = password;
  }
  return json;
}

/** Write an export of `options.count` accounts under `dir`; returns the tenant folder and counts. */
export async function writeStormpathExport(dir: string, options: WriteStormpathExportOptions): Promise<WriteStormpathExportResult> {
  const tenantDir = join(dir, options.tenantId ?? 'fakeTenant');
  const directories = options.directories ?? 2;
  await mkdir(join(tenantDir, 'directories'), { recursive: true });
  await mkdir(join(tenantDir, 'accounts'), { recursive: true });
  for (const sub of options.layout === 'stormpath-export' ? ['applications', 'groups', 'organizations', 'meta'] : []) await mkdir(join(tenantDir, sub), { recursive: true });
  for (let d = 1; d <= directories; d++) {
    await writeFile(join(tenantDir, 'directories', `dir${d}.json`), JSON.stringify({ id: `dir${d}`, name: `Directory ${d}`, status: 'ENABLED' }));
    if (options.layout === 'support') await mkdir(join(tenantDir, 'accounts', `dir${d}`), { recursive: true });
  }
  const byFormat: Record<string, number> = {};
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < options.count) {
      const i = next++;
      const a = stormpathExportAccountAt(i, options);
      byFormat[a.format] = (byFormat[a.format] ?? 0) + 1;
      await writeFile(join(tenantDir, a.file), JSON.stringify(await accountJson(i, a, options), null, 2));
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return { tenantDir, count: options.count, byFormat };
}
