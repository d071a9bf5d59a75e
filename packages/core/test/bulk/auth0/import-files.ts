/**
 * Test support: synthetic users written as Auth0 import files (JSON arrays of at most
 * 512000 bytes), and an Auth0 client wired to a fake tenant.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeAuth0 } from '@ferry/testkit';
import { Auth0ManagementClient, type Auth0ImportFile, type Auth0RateTier } from '../../../src/bulk/auth0';
import { DefaultHttpClientFactory } from '../../../src/http';
import { captureLogger } from '../../http/helpers';
import type { Logger } from '../../../src/logging/logger';

/** Auth0's users-file limit. */
export const FILE_LIMIT = 512_000;

/** The hash of synthetic user `i` (distinct, recognisable in leaks). */
export function syntheticHash(i: number): string {
  return `$2b$10$${`SECRETHASH${i}`.padEnd(53, 'x')}`;
}

/** Synthetic user `i` in Auth0's import schema. */
export function syntheticUser(i: number): Record<string, unknown> {
  return {
    email: `user${i}@example.com`,
    email_verified: true,
    user_id: `legacy-${i}`,
    given_name: `Given${i}`,
    family_name: `Family${i}`,
    name: `Given${i} Family${i}`,
    custom_password_hash: { algorithm: 'bcrypt', hash: { value: syntheticHash(i) } },
    app_metadata: { legacy_id: i, plan: i % 3 === 0 ? 'pro' : 'free' },
  };
}

/** Write `users` as import files in `dir`, each as full as possible without passing `limit` bytes. */
export async function writeImportFiles(dir: string, users: Iterable<Record<string, unknown>>, limit = FILE_LIMIT): Promise<Auth0ImportFile[]> {
  const files: Auth0ImportFile[] = [];
  let parts: string[] = [];
  let size = 2; // the brackets
  const flush = async (): Promise<void> => {
    if (parts.length === 0) return;
    const index = files.length;
    const path = join(dir, `users-${String(index).padStart(5, '0')}.json`);
    await writeFile(path, `[${parts.join(',')}]`);
    files.push({ path, index, records: parts.length });
    parts = [];
    size = 2;
  };
  for (const user of users) {
    const json = JSON.stringify(user);
    const extra = Buffer.byteLength(json) + (parts.length === 0 ? 0 : 1);
    if (size + extra > limit) await flush();
    parts.push(json);
    size += Buffer.byteLength(json) + (parts.length === 1 ? 0 : 1);
  }
  await flush();
  return files;
}

/** Users `from` … `to - 1`. */
export function* syntheticUsers(from: number, to: number): Generator<Record<string, unknown>> {
  for (let i = from; i < to; i++) yield syntheticUser(i);
}

/** A temporary directory removed by the returned function. */
export async function tempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-auth0-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A client for `fake`, logging into memory. */
export function clientFor(fake: FakeAuth0, tier: Auth0RateTier = 'paid', overrides: { clientSecret?: string; logger?: Logger } = {}): { client: Auth0ManagementClient; lines: string[]; logger: Logger } {
  const { logger, lines } = overrides.logger === undefined ? captureLogger() : { logger: overrides.logger, lines: [] };
  const client = new Auth0ManagementClient(
    { domain: fake.domain, baseUrl: fake.url, clientId: fake.clientId, clientSecret: overrides.clientSecret ?? fake.clientSecret, tier },
    { http: new DefaultHttpClientFactory(logger), logger },
  );
  return { client, lines, logger };
}
