/** Bulk export from both export-directory layouts, with hashes, rejects and checkpoints. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ExportPage, type JsonValue, PasswordHashingService } from '@ferry/core';
import { stormpathExportAccountAt, writeStormpathExport, type WriteStormpathExportOptions } from '@ferry/testkit';
import { createStormpathConnector } from '../src';
import { testContext } from './stormpath-fixture';

const dirs: string[] = [];
async function exportDir(options: WriteStormpathExportOptions): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-stormpath-'));
  dirs.push(dir);
  await writeStormpathExport(dir, options);
  return dir;
}
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function collect(dir: string, checkpoint?: JsonValue): Promise<ExportPage[]> {
  const c = createStormpathConnector({ exportDir: dir }, testContext());
  const pages: ExportPage[] = [];
  for await (const page of c.exportUsers!(checkpoint === undefined ? {} : { checkpoint })) pages.push(page);
  return pages;
}

describe('stormpath-export layout (no passwords)', () => {
  it('exports every account without hash, groups in app_metadata, DISABLED blocked', async () => {
    const options: WriteStormpathExportOptions = { layout: 'stormpath-export', count: 30 };
    const pages = await collect(await exportDir(options));
    const records = pages.flatMap((p) => p.records);
    expect(records).toHaveLength(30);
    expect(pages.flatMap((p) => p.rejects ?? [])).toEqual([]);
    expect(pages.at(-1)?.checkpoint).toBeNull();
    for (const r of records) expect(r.password_hash ?? r.custom_password_hash ?? r.ferry_password_hash).toBeUndefined();
    const a1 = stormpathExportAccountAt(1, options);
    const r1 = records.find((r) => r.user_id === a1.id);
    expect(r1).toMatchObject({ email: a1.email, given_name: 'Given1', family_name: 'Surname1', app_metadata: { groups: a1.groups }, user_metadata: { plan: 'free', favoriteColor: 'green' } });
    const disabled = stormpathExportAccountAt(9, options);
    expect(records.find((r) => r.user_id === disabled.id)?.blocked).toBe(true);
  });
});

describe('support layout (with passwords)', () => {
  const options: WriteStormpathExportOptions = {
    layout: 'support',
    count: 1200,
    passwordFormats: ['bcrypt', 'stormpath2-sha256', 'stormpath2-sha512-iterated', 'stormpath1', 'none', 'unknown'],
  };
  let dir: string;
  let pages: ExportPage[];
  beforeAll(async () => {
    dir = await exportDir(options);
    pages = await collect(dir);
  });

  it('maps every hash format and reports unknown prefixes per account without aborting', async () => {
    const records = pages.flatMap((p) => p.records);
    const rejects = pages.flatMap((p) => p.rejects ?? []);
    expect(records).toHaveLength(1000);
    expect(rejects).toHaveLength(200);
    expect(new Set(rejects.map((r) => r.code))).toEqual(new Set(['hash_unsupported']));
    expect(JSON.stringify(rejects)).not.toMatch(/\$sha1\$[0-9a-f]{8}/);
    const hashing = new PasswordHashingService();
    for (let i = 0; i < 6; i++) {
      const a = stormpathExportAccountAt(i, options);
      const r = records.find((x) => x.user_id === a.id);
      if (a.format === 'unknown') {
        expect(r).toBeUndefined();
        expect(rejects.find((x) => x.ref.user_id === a.id)?.ref.email).toBe(a.email);
        continue;
      }
      if (a.format === 'none') {
        expect(r).toBeDefined();
        expect(r?.password_hash ?? r?.custom_password_hash ?? r?.ferry_password_hash).toBeUndefined();
        continue;
      }
      if (a.format === 'bcrypt') expect(r?.custom_password_hash).toMatchObject({ algorithm: 'bcrypt' });
      if (a.format === 'stormpath2-sha256') expect(r?.custom_password_hash).toMatchObject({ algorithm: 'sha256', salt: { position: 'prefix', encoding: 'base64' } });
      if (a.format === 'stormpath2-sha512-iterated' || a.format === 'stormpath1') expect(typeof r?.ferry_password_hash).toBe('string');
      // The Ferry-verified hashes really verify the generated password (and refuse a wrong one).
      if (r?.ferry_password_hash !== undefined) {
        await expect(hashing.verify(r.ferry_password_hash, a.password)).resolves.toMatchObject({ match: true });
        await expect(hashing.verify(r.ferry_password_hash, `${a.password}x`)).resolves.toMatchObject({ match: false });
      }
    }
  });

  it('pages of 500 resume exactly from a checkpoint, even if files were added before it', async () => {
    expect(pages.map((p) => p.records.length + (p.rejects?.length ?? 0))).toEqual([500, 500, 200]);
    const all = pages.flatMap((p) => p.records.map((r) => r.user_id));
    const resumed = await collect(dir, pages[0]!.checkpoint);
    expect(resumed.flatMap((p) => p.records.map((r) => r.user_id))).toEqual(all.slice(pages[0]!.records.length));
    // A file sorting before the checkpoint appears: position drifts, the name still finds the spot.
    await writeFile(join(dir, 'fakeTenant', 'accounts', 'dir1', '0000000000.json'), JSON.stringify({ id: '0000000000', email: 'late@example.com' }));
    const drifted = await collect(dir, pages[0]!.checkpoint);
    expect(drifted.flatMap((p) => p.records.map((r) => r.user_id))).toEqual(all.slice(pages[0]!.records.length));
  });

  it('a broken file is one reject, not an abort', async () => {
    const d = await exportDir({ layout: 'support', count: 3 });
    await writeFile(join(d, 'fakeTenant', 'accounts', 'dir1', 'zzz.json'), '{not json');
    const out = await collect(d);
    expect(out.flatMap((p) => p.records)).toHaveLength(3);
    expect(out.flatMap((p) => p.rejects ?? [])).toEqual([expect.objectContaining({ code: 'unreadable_account', ref: { row: 'fakeTenant/accounts/dir1/zzz.json' } })]);
  });

  it('a missing directory is a config error', async () => {
    await expect(collect(join(tmpdir(), 'no-such-stormpath-export'))).rejects.toMatchObject({ errorClass: 'config', code: 'stormpath_export_missing' });
  });
});
