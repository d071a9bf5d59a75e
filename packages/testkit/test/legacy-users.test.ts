import { identify, verify } from '@ferry/core';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateLegacyUsers, LEGACY_HASH_FORMATS, legacyUserAt, md5Crypt, passwordFor, phpassHash, writeLegacyDatabase, type LegacyUser } from '../src';

async function all(count: number, extra: object = {}): Promise<LegacyUser[]> {
  const out: LegacyUser[] = [];
  for await (const batch of generateLegacyUsers({ count, seed: 7, ...extra })) out.push(...batch);
  return out;
}

describe('crypt layouts match the reference implementations', () => {
  // md5-crypt vectors: `openssl passwd -1 -salt <salt> <password>` (OpenSSL's reference md5-crypt).
  it('md5-crypt', () => {
    expect(md5Crypt('U*U*U*U*', 'dXc3I7Rw')).toBe('$1$dXc3I7Rw$ctlgjDdWJLMT.qwHsWhXR1');
    expect(md5Crypt('', 'dOHYPKoP')).toBe('$1$dOHYPKoP$tnxS1T8Q6VVn3kpV8cN6o.');
    expect(md5Crypt('test', '3azHgidD')).toBe('$1$3azHgidD$7khJB9OHG23TKNa98/VUh.');
  });
  // phpass vector: test.php of the phpass 0.3 distribution (openwall.com/phpass).
  it('phpass', () => {
    expect(phpassHash('test12345', 'IQRaTwmf', 11)).toBe('$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0');
  });
});

describe('generateLegacyUsers', () => {
  it('is deterministic from the seed and regenerates any user alone', async () => {
    const a = await all(40);
    const b = await all(40);
    expect(b).toEqual(a);
    const at = await legacyUserAt({ count: 40, seed: 7 }, 17);
    expect(at).toEqual(a[17]);
    expect(at.password).toBe(passwordFor(7, 17));
    expect(passwordFor(8, 17)).not.toBe(at.password);
  });

  it('writes every format in its real layout, verifiable by @ferry/core', async () => {
    const users = await all(70, { defectRate: 0, duplicateRate: 0 });
    const seen = new Set<string>();
    for (const u of users) {
      if (u.hashFormat === null || u.passwordHash === null) throw new Error('clean users have hashes');
      seen.add(u.hashFormat);
      const stored =
        u.hashFormat === 'salted-sha256'
          ? { algorithm: 'sha256', hash: { value: u.passwordHash, encoding: 'hex' }, salt: { value: u.passwordSalt ?? '', encoding: 'utf8', position: 'prefix' } }
          : u.passwordHash;
      expect(identify(stored)).toBeTruthy();
      await expect(verify(stored, u.password)).resolves.toEqual(expect.objectContaining({ match: true }));
      await expect(verify(stored, `${u.password}x`)).resolves.toEqual(expect.objectContaining({ match: false }));
    }
    expect([...seen].sort()).toEqual([...LEGACY_HASH_FORMATS].sort());
  });

  it('mixes in duplicates and broken rows at the requested rates', async () => {
    const users = await all(400, { defectRate: 0.05, duplicateRate: 0.05, formats: { 'salted-sha256': 1 } });
    const kinds = new Set(users.map((u) => u.defect).filter(Boolean));
    expect([...kinds].sort()).toEqual(['duplicate_email', 'invalid_email', 'missing_email', 'null_password', 'unknown_hash']);
    for (const u of users.filter((x) => x.defect === 'duplicate_email')) {
      expect(u.email?.toLowerCase()).toBe(users[u.duplicateOf ?? -1]?.email);
    }
    expect(users[0]?.defect).toBeUndefined();
  });
});

describe('writeLegacyDatabase', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-testkit-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes 10,000 mixed users into SQLite in a few seconds', async () => {
    const file = join(dir, 'legacy.db');
    const started = Date.now();
    const result = await writeLegacyDatabase(`sqlite:${file}`, { count: 10_000, seed: 'demo' });
    const elapsed = Date.now() - started;
    expect(result.count).toBe(10_000);
    const db = new Database(file, { readonly: true });
    const row = db.prepare('SELECT COUNT(*) AS n, SUM(password_salt IS NOT NULL) AS salted FROM users').get() as { n: number; salted: number };
    db.close();
    expect(row.n).toBe(10_000);
    expect(row.salted).toBeGreaterThan(1000);
    expect(elapsed).toBeLessThan(15_000); // shared 2-core CI; typically ~3 s
  }, 60_000);
});
