/**
 * The export's row conversion: declared hex digests skip the core's re-parse only when
 * the core would accept them unchanged, and anything it would refuse is still a per-row
 * reject with a reason.
 */
import { createHash } from 'node:crypto';
import { toAuth0, verify, type LegacyHash } from '@ferry/core';
import type { SqlConnectorConfig } from '../src';
import { ExportRowConverter } from '../src/export-rows';

const COLUMNS = ['id', 'email', 'password_hash', 'password_salt', 'metadata'];

function converter(digest: Partial<NonNullable<SqlConnectorConfig['password']['digest']>> = {}): ExportRowConverter {
  const config: SqlConnectorConfig = {
    url: 'sqlite:unused.db',
    timeoutMs: 1000,
    poolSize: 1,
    queries: { findByEmail: 'SELECT * FROM users WHERE email = :email' },
    mapping: { user_id: 'id', email: 'email', app_metadata: 'metadata' },
    password: { column: 'password_hash', digest: { algorithm: 'sha256', encoding: 'hex', saltColumn: 'password_salt', saltEncoding: 'utf8', position: 'prefix', ...digest } },
    export: { start: 0, pageSize: 10, passwordless: 'export' },
  };
  return new ExportRowConverter(config, COLUMNS, 'queries.exportPage', 'id');
}

const sha256 = (text: string, encoding: 'hex' | 'base64' = 'hex') => createHash('sha256').update(text).digest(encoding);

describe('export row conversion', () => {
  it('a declared hex digest becomes exactly the custom_password_hash the core would give, and verifies', async () => {
    const hash = sha256('s4lt' + 'correct horse');
    const { records, rejects } = converter().convertPage([[7, 'a@example.com', hash, 's4lt', '{"plan":"pro"}']], 0);
    expect(rejects).toEqual([]);
    const stored: LegacyHash = { algorithm: 'sha256', hash: { value: hash, encoding: 'hex' }, salt: { value: 's4lt', encoding: 'utf8', position: 'prefix' } };
    const viaCore = toAuth0(stored);
    expect(records).toEqual([{ user_id: '7', email: 'a@example.com', app_metadata: { plan: 'pro' }, custom_password_hash: 'custom_password_hash' in viaCore ? viaCore.custom_password_hash : 'not a custom hash' }]);
    await expect(verify(records[0]?.custom_password_hash as unknown as LegacyHash, 'correct horse')).resolves.toEqual(expect.objectContaining({ match: true }));
  });

  it.each<[string, Partial<NonNullable<SqlConnectorConfig['password']['digest']>>, string, string]>([
    ['a hex salt that is not hex', { saltEncoding: 'hex' }, sha256('x'), 'zz1'],
    ['a base64 digest with stray bits (not canonical)', { encoding: 'base64' }, sha256('x', 'base64').replace(/.=$/, 'B='), 'salt'],
  ])('%s is still rejected per row as hash_malformed', (_label, digest, hash, salt) => {
    const { records, rejects } = converter(digest).convertPage([[8, 'b@example.com', hash, salt, null]], 0);
    expect(records).toEqual([]);
    expect(rejects).toEqual([{ ref: { user_id: '8', email: 'b@example.com', row: '8' }, code: 'hash_malformed', reason: expect.stringMatching(/.{10}/) }]);
    expect(JSON.stringify(rejects)).not.toContain(hash);
  });

  it('self-describing hashes go through the core parser: broken ones are rejected, good ones converted', () => {
    const rows = [
      [1, 'c@example.com', 'pbkdf2_sha256$1$salt$bm90IGEgMzItYnl0ZSBoYXNo', null, null],
      [2, 'd@example.com', '$1$saltsalt$qjXMvbEw8oaL.CzflDugX/', null, null],
      [3, 'e@example.com', '$2b$10$tooshort', null, null],
    ];
    const { records, rejects } = converter().convertPage(rows, 0);
    expect(records.map((r) => [r.user_id, r.ferry_password_hash])).toEqual([['2', '$1$saltsalt$qjXMvbEw8oaL.CzflDugX/']]);
    expect(rejects.map((r) => [r.ref.row, r.code])).toEqual([
      ['1', 'hash_malformed'],
      ['3', 'hash_malformed'],
    ]);
  });
});
