/**
 * The SQL connector's own cases, run against every database: hash export forms, broken
 * rows, ambiguous emails, injection attempts, disabled users and markMigrated, then
 * partitioned exports.
 */
import { DataError, verify, type Connector, type ExportPage, type LegacyHash } from '@ferry/core';
import { generateLegacyUsers, type LegacyUser } from '@ferry/testkit';
import { runSqlPartitionCases } from './sql-partition-cases';
import { BROKEN, CLEAN, logLines, makeConnector, rawQuery } from './sql-test-kit';

async function exportAll(c: Connector): Promise<ExportPage[]> {
  const pages: ExportPage[] = [];
  for await (const page of c.exportUsers!({})) pages.push(page);
  return pages;
}

async function users(options: typeof CLEAN): Promise<LegacyUser[]> {
  const out: LegacyUser[] = [];
  for await (const batch of generateLegacyUsers(options)) out.push(...batch);
  return out;
}

async function using<T>(c: Promise<Connector>, fn: (c: Connector) => Promise<T>): Promise<T> {
  const connector = await c;
  try {
    return await fn(connector);
  } finally {
    await connector.close?.();
  }
}

/** Register the connector-specific cases for the database at `url()`. */
export function runSqlConnectorCases(name: string, url: () => string): void {
  describe(`${name}: sql connector`, () => {
    it('exports each hash in the form Auth0 (or else Ferry) can verify', async () => {
      const clean = await users(CLEAN);
      const pages = await using(makeConnector(url()), exportAll);
      const records = pages.flatMap((p) => p.records);
      expect(records).toHaveLength(CLEAN.count);
      for (const record of records) {
        const u = clean.find((x) => String(x.id) === record.user_id) as LegacyUser;
        expect(record.email).toBe(u.email);
        expect(record.app_metadata).toEqual(u.metadata);
        expect(record.user_metadata).toEqual(u.preferences);
        expect(record.email_verified).toBe(u.emailVerified);
        const stored: LegacyHash | undefined = record.custom_password_hash as LegacyHash | undefined ?? record.ferry_password_hash ?? record.password_hash;
        if (u.hashFormat === 'md5-crypt' || u.hashFormat === 'phpass') expect(record.ferry_password_hash).toBe(u.passwordHash);
        if (u.hashFormat === 'salted-sha256') expect(record.custom_password_hash).toEqual(expect.objectContaining({ algorithm: 'sha256', salt: expect.objectContaining({ position: 'prefix' }) }));
        if (u.hashFormat === 'bcrypt') expect(record.custom_password_hash?.algorithm ?? (record.password_hash ? 'bcrypt' : undefined)).toBe('bcrypt');
        expect(stored).toBeDefined();
        await expect(verify(stored as LegacyHash, u.password)).resolves.toEqual(expect.objectContaining({ match: true }));
      }
    });

    it('reports broken rows per row with a reason and never aborts the run', async () => {
      const broken = await users(BROKEN);
      const pages = await using(makeConnector(url(), 'broken_users'), exportAll);
      const records = pages.flatMap((p) => p.records);
      const rejects = pages.flatMap((p) => p.rejects ?? []);
      expect(records.length + rejects.length).toBe(BROKEN.count);
      const codeOf = (u: LegacyUser) => rejects.find((r) => r.ref.row === String(u.id))?.code;
      const expected: Record<string, string[]> = {
        missing_email: ['missing_email'],
        invalid_email: ['invalid_email'],
        unknown_hash: ['hash_unsupported', 'hash_malformed'],
      };
      let checked = 0;
      for (const u of broken) {
        // Duplicate emails are exported; the bulk pipeline rejects the second user durably.
        if (u.defect === undefined || u.defect === 'duplicate_email') expect(codeOf(u)).toBeUndefined();
        else if (u.defect === 'null_password') {
          const r = records.find((x) => x.user_id === String(u.id));
          expect(r).toBeDefined();
          expect(r?.password_hash ?? r?.custom_password_hash ?? r?.ferry_password_hash).toBeUndefined();
        } else {
          expect(expected[u.defect]).toContain(codeOf(u));
          checked += 1;
        }
      }
      expect(checked).toBeGreaterThan(10);
      for (const r of rejects) expect(r.reason.length).toBeGreaterThan(5);
      expect(JSON.stringify(rejects)).not.toMatch(/legacy-crc32|\$P\$|\$1\$/);
    });

    it('login: a NULL or unknown hash is invalid_credentials, and the log says why without the hash', async () => {
      const broken = await users(BROKEN);
      const nullPw = broken.find((u) => u.defect === 'null_password' && u.email) as LegacyUser;
      const unknown = broken.find((u) => u.defect === 'unknown_hash') as LegacyUser;
      await using(makeConnector(url(), 'broken_users'), async (c) => {
        logLines.length = 0;
        expect(await c.login!(nullPw.username, nullPw.password)).toEqual({ ok: false, reason: 'invalid_credentials' });
        expect(await c.login!(unknown.username, unknown.password)).toEqual({ ok: false, reason: 'invalid_credentials' });
        const log = logLines.join('');
        expect(log).toContain('password_missing');
        expect(log).toMatch(/hash_(unsupported|malformed)/);
        expect(log).not.toContain(unknown.passwordHash as string);
        expect(log).not.toContain(unknown.password);
      });
    });

    it('two rows with one email are ambiguous for getByEmail and login', async () => {
      const broken = await users(BROKEN);
      const dup = broken.find((u) => u.defect === 'duplicate_email') as LegacyUser;
      const original = broken[dup.duplicateOf as number] as LegacyUser;
      await using(makeConnector(url(), 'broken_users'), async (c) => {
        await expect(c.getByEmail!(original.email as string)).rejects.toEqual(expect.objectContaining({ code: 'ambiguous_email' }));
        await expect(c.login!(original.email as string, original.password)).rejects.toBeInstanceOf(DataError);
      });
    });

    it('SQL injection in identifiers and passwords is harmless', async () => {
      const clean = await users(CLEAN);
      const u = clean.find((x) => !x.disabled) as LegacyUser;
      await using(makeConnector(url()), async (c) => {
        for (const evil of ["' OR '1'='1", "x' OR 1=1 -- @example.com", "\"; DROP TABLE users; --@example.com", "' UNION SELECT * FROM users --@x.io", `${u.email}' --`]) {
          expect((await c.login!(evil, u.password)).ok).toBe(false);
          expect(await c.getByEmail!(evil)).toBeNull();
        }
        for (const evil of ["' OR '1'='1", "x' OR 1=1 --", `${u.password}' OR '1'='1`]) {
          expect(await c.login!(u.email as string, evil)).toEqual({ ok: false, reason: 'invalid_credentials' });
        }
        expect((await c.login!('%', u.password)).ok).toBe(false);
      });
      const [row] = await rawQuery(url(), 'SELECT COUNT(*) AS n FROM users');
      expect(Number(row?.n)).toBe(CLEAN.count);
    });

    it('a disabled user with the right password is disabled; markMigrated marks the row', async () => {
      const broken = await users(BROKEN);
      const disabled = broken.find((u) => u.disabled && !u.defect);
      await using(makeConnector(url(), 'broken_users'), async (c) => {
        if (disabled) expect(await c.login!(disabled.username, disabled.password)).toEqual({ ok: false, reason: 'disabled' });
        const ok = broken.find((u) => !u.disabled && !u.defect) as LegacyUser;
        const outcome = await c.login!(ok.email as string, ok.password);
        if (!outcome.ok) throw new Error('login failed');
        await c.markMigrated!(outcome.profile);
      });
      const rows = await rawQuery(url(), 'SELECT id FROM broken_users WHERE migrated_at IS NOT NULL');
      expect(rows.map((r) => Number(r.id))).toEqual([(broken.find((u) => !u.disabled && !u.defect) as LegacyUser).id]);
    });
  });
  runSqlPartitionCases(name, url);
}
