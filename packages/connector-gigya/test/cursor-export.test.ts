/** Cursor export with password hashes, checkpoints, and the restart rule for expired cursors. */
import { type ImportRecord, PasswordHashingService, toAuth0 } from '@ferry/core';
import { type FakeGigya, GENERATED_HASH_KINDS, gigyaAccountAt, startFakeGigya } from '@ferry/testkit';
import { type SearchCheckpoint } from '../src';
import { collect, connectFake, testContext } from './gigya-fixture';

const PUBLISHED = { password: 'Test@123', hash: 'XMGVWTbeKf4Xd+CGiuEZde8x7QA=', salt: 'wJuJqLoUFsdXa8k3sFhRlA==', rounds: 10000 };
const COUNT = 700;
let fake: FakeGigya;

beforeAll(async () => {
  fake = await startFakeGigya();
  for (let i = 0; i < COUNT; i++) fake.addAccount(gigyaAccountAt(i, { realHashes: i < 14 }));
  fake.addAccount({
    UID: 'published-example',
    email: 'published@example.com',
    passwordHash: { hash: PUBLISHED.hash, hashSettings: { algorithm: 'pbkdf2', rounds: PUBLISHED.rounds, salt: PUBLISHED.salt } },
  });
});
afterAll(() => fake.close());

const ids = (records: ImportRecord[]) => records.map((r) => r.user_id);

describe('cursor export', () => {
  it('opens one cursor ordered by UID and follows nextCursorId to the end', async () => {
    const c = connectFake(fake, testContext(), { export: { batchSize: 100 } });
    const pages = await collect(c);
    const records = pages.flatMap((p) => p.records);
    const rejects = pages.flatMap((p) => p.rejects ?? []);
    expect(records.length + rejects.length).toBe(COUNT + 1);
    expect(pages.at(-1)?.checkpoint).toBeNull();
    expect(ids(records)).toEqual([...ids(records)].sort());
    const searches = fake.requests.filter((r) => r.method === 'accounts.search').slice(-pages.length);
    expect(searches[0]?.params).toMatchObject({ query: 'SELECT * FROM accounts ORDER BY UID LIMIT 100', openCursor: 'true' });
    expect(searches.slice(1).every((r) => r.params.cursorId !== undefined && r.params.query === undefined)).toBe(true);
    await c.close?.();
  });

  it('carries each hash algorithm to Auth0 where it can, to Ferry otherwise, and rejects what nobody verifies', async () => {
    const c = connectFake(fake);
    const pages = await collect(c);
    const records = pages.flatMap((p) => p.records);
    const rejects = pages.flatMap((p) => p.rejects ?? []);
    const byId = new Map(records.map((r) => [r.user_id, r]));
    const hashing = new PasswordHashingService();
    for (let i = 0; i < GENERATED_HASH_KINDS.length * 2; i++) {
      const a = gigyaAccountAt(i, { realHashes: true });
      const r = byId.get(a.UID!);
      switch (a.kind) {
        case 'pbkdf2':
          expect(r?.custom_password_hash).toMatchObject({ algorithm: 'pbkdf2', hash: { encoding: 'utf8', value: expect.stringMatching(/^\$pbkdf2-sha1\$i=1000,l=20\$/) } });
          await expect(hashing.verify(r!.custom_password_hash as never, a.password!)).resolves.toMatchObject({ match: true });
          await expect(hashing.verify(r!.custom_password_hash as never, `${a.password!}x`)).resolves.toMatchObject({ match: false });
          break;
        case 'pbkdf2_sha256':
          expect(r?.custom_password_hash?.hash.value).toMatch(/^\$pbkdf2-sha256\$i=3000,l=32\$/);
          break;
        case 'sha1':
          expect(r?.custom_password_hash).toMatchObject({ algorithm: 'sha1', salt: { position: 'suffix', encoding: 'base64' } });
          break;
        case 'md5':
          expect(r?.custom_password_hash).toMatchObject({ algorithm: 'md5', salt: { position: 'prefix' } });
          break;
        case 'bcrypt':
          expect(r?.custom_password_hash?.algorithm ?? (r?.password_hash ? 'bcrypt' : undefined)).toBe('bcrypt');
          break;
        case 'sha512Hexa':
          expect(r).toBeUndefined();
          expect(rejects.find((x) => x.ref.user_id === a.UID)).toMatchObject({ code: expect.any(String), ref: { email: a.email } });
          break;
        case 'none':
          expect(r).toBeDefined();
          expect(r?.password_hash ?? r?.custom_password_hash ?? r?.ferry_password_hash).toBeUndefined();
          break;
      }
    }
    // Rejects name the account, never the hash.
    expect(JSON.stringify(rejects)).not.toMatch(/[0-9a-f]{64}/);
    await c.close?.();
  });

  it('the published pbkdf2 example round-trips: export → Auth0 PHC form → verification', async () => {
    const c = connectFake(fake);
    const record = (await collect(c)).flatMap((p) => p.records).find((r) => r.user_id === 'published-example');
    expect(record?.custom_password_hash).toEqual({
      algorithm: 'pbkdf2',
      hash: { value: '$pbkdf2-sha1$i=10000,l=20$wJuJqLoUFsdXa8k3sFhRlA$XMGVWTbeKf4Xd+CGiuEZde8x7QA', encoding: 'utf8' },
    });
    const hashing = new PasswordHashingService();
    await expect(hashing.verify(record!.custom_password_hash as never, PUBLISHED.password)).resolves.toMatchObject({ match: true });
    await expect(hashing.verify(record!.custom_password_hash!.hash.value!, PUBLISHED.password)).resolves.toMatchObject({ match: true });
    await expect(hashing.verify(record!.custom_password_hash as never, 'Test@124')).resolves.toMatchObject({ match: false });
    // And the converted form is what the core's own conversion gives.
    expect(toAuth0({ algorithm: 'gigya', hash: PUBLISHED.hash, hashSettings: { algorithm: 'pbkdf2', rounds: 10000, salt: PUBLISHED.salt } })).toEqual({ custom_password_hash: record!.custom_password_hash });
    await c.close?.();
  });
});

describe('checkpoints and the restart rule', () => {
  let all: string[];
  beforeAll(async () => {
    const c = connectFake(fake, testContext(), { export: { batchSize: 100 } });
    all = (await collect(c)).flatMap((p) => [...ids(p.records), ...(p.rejects ?? []).map((r) => r.ref.user_id!)]).sort();
    await c.close?.();
  });
  // Records and rejects of each page, in UID order (pages come in UID order).
  const everyone = (pages: Awaited<ReturnType<typeof collect>>) => pages.flatMap((p) => [...ids(p.records), ...(p.rejects ?? []).map((r) => r.ref.user_id!)].sort());

  it('a fresh checkpoint continues the cursor where it stopped', async () => {
    const c = connectFake(fake, testContext(), { export: { batchSize: 100 } });
    const it = c.exportUsers!({})[Symbol.asyncIterator]();
    const first = (await it.next()).value as Awaited<ReturnType<typeof collect>>[number];
    await it.return?.();
    const cp = first.checkpoint as unknown as SearchCheckpoint;
    expect(cp).toEqual({ cursorId: expect.any(String), lastUID: all[99], issuedAt: expect.any(Number) });
    const opened = fake.requests.filter((r) => r.params.openCursor === 'true').length;
    const rest = await collect(c, first.checkpoint);
    expect([...everyone([first]), ...everyone(rest)]).toEqual(all);
    expect(fake.requests.filter((r) => r.params.openCursor === 'true').length).toBe(opened);
    await c.close?.();
  });

  it('a cursor that expired mid-run is reopened, skipping what was handed out: no loss, no duplicates', async () => {
    const context = testContext();
    const c = connectFake(fake, context, { export: { batchSize: 100 } });
    const seen: string[] = [];
    let pages = 0;
    for await (const page of c.exportUsers!({})) {
      seen.push(...everyone([page]));
      if (++pages === 3) fake.expireCursors();
    }
    expect(seen).toEqual(all);
    expect(context.logs()).toContain('cursor expired or refused');
    await c.close?.();
  });

  it('an old checkpoint (cursor past 5 minutes) restarts from its last UID without trying the cursor', async () => {
    const c = connectFake(fake, testContext(), { export: { batchSize: 100 } });
    const stale: SearchCheckpoint = { cursorId: 'long-gone', lastUID: all[249]!, issuedAt: Date.now() - 6 * 60_000 };
    const before = fake.requests.length;
    const rest = everyone(await collect(c, stale as never));
    expect(rest).toEqual(all.slice(250));
    expect(fake.requests.slice(before).some((r) => r.params.cursorId === 'long-gone')).toBe(false);
    await c.close?.();
  });

  it('a checkpoint whose cursor was already used (a crash after fetching, before committing) restarts too', async () => {
    const c = connectFake(fake, testContext(), { export: { batchSize: 100 } });
    const pages = await collect(c);
    const second = pages[1]!;
    const rest = everyone(await collect(c, second.checkpoint));
    expect(rest).toEqual(all.slice(200));
    await c.close?.();
  });

  it('a malformed checkpoint is refused', async () => {
    const c = connectFake(fake);
    await expect(collect(c, { cursorId: 5 } as never)).rejects.toMatchObject({ code: 'checkpoint_invalid' });
    await c.close?.();
  });
});
