/** IdentitySync files: every layout (and .gz) gives the live export's records, streamed and resumable. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type ExportPage } from '@ferry/core';
import { type FakeGigya, gigyaAccountAt, type IdentitySyncLayout, startFakeGigya, writeIdentitySyncFile } from '@ferry/testkit';
import { createGigyaConnector, JsonRecordSplitter, type SplitElement } from '../src';
import { collect, connectFake, fakeConfig, testContext } from './gigya-fixture';

const COUNT = 1203;
let dir: string;
let fake: FakeGigya;
let live: ExportPage[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-gigya-'));
  fake = await startFakeGigya();
  for (let i = 0; i < COUNT; i++) fake.addAccount(gigyaAccountAt(i));
  const c = connectFake(fake);
  live = await collect(c);
  await c.close?.();
});
afterAll(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

const fileConnector = (identitySync: { files?: string[]; dir?: string }) => createGigyaConnector(fakeConfig(undefined, { identitySync }), testContext(dir));
const byId = (pages: ExportPage[]) => new Map(pages.flatMap((p) => p.records).map((r) => [r.user_id, r]));
const rejectIds = (pages: ExportPage[]) => pages.flatMap((p) => p.rejects ?? []).map((r) => r.ref.user_id).sort();

describe.each<[IdentitySyncLayout, boolean, boolean]>([
  ['array', false, false],
  ['array', true, true],
  ['results', false, false],
  ['accounts', true, false],
  ['ndjson', false, false],
  ['ndjson', true, false],
])('layout %s (gzip %s, pretty %s)', (layout, gzip, pretty) => {
  it('yields exactly the records and rejects of the live cursor export', async () => {
    const name = `accounts-${layout}${pretty ? '-pretty' : ''}.${layout === 'ndjson' ? 'ndjson' : 'json'}${gzip ? '.gz' : ''}`;
    await writeIdentitySyncFile(join(dir, name), { layout, count: COUNT, gzip, pretty });
    const pages = await collect(fileConnector({ files: [name] }));
    expect(pages.map((p) => p.records.length + (p.rejects?.length ?? 0))).toEqual([500, 500, 203]);
    expect(pages.at(-1)?.checkpoint).toBeNull();
    expect(byId(pages)).toEqual(byId(live));
    expect(rejectIds(pages)).toEqual(rejectIds(live));
  });
});

describe('files and checkpoints', () => {
  it('reads a folder in name order and resumes at file + index', async () => {
    const sub = join(dir, 'flow');
    await mkdir(sub, { recursive: true });
    await writeIdentitySyncFile(join(sub, 'part-001.json.gz'), { layout: 'array', count: 600, gzip: true });
    await writeIdentitySyncFile(join(sub, 'part-002.ndjson'), { layout: 'ndjson', count: 603, from: 600 });
    await writeFile(join(sub, 'README.txt'), 'not an account file');
    const pages = await collect(fileConnector({ dir: 'flow' }));
    expect(pages.map((p) => p.checkpoint)).toEqual([{ file: 'flow/part-001.json.gz', index: 500 }, { file: 'flow/part-002.ndjson', index: 0 }, { file: 'flow/part-002.ndjson', index: 500 }, null]);
    expect(byId(pages)).toEqual(byId(live));
    const all = pages.flatMap((p) => p.records.map((r) => r.user_id));
    const resumed = await collect(fileConnector({ dir: 'flow' }), pages[0]!.checkpoint);
    expect(resumed.flatMap((p) => p.records.map((r) => r.user_id))).toEqual(all.slice(pages[0]!.records.length));
    const fromThird = await collect(fileConnector({ dir: 'flow' }), pages[2]!.checkpoint);
    expect(fromThird.flatMap((p) => p.records.map((r) => r.user_id))).toEqual(all.slice(pages[0]!.records.length + pages[1]!.records.length + pages[2]!.records.length));
  });

  it('a broken account is one reject; a truncated file ends with one', async () => {
    const text = '{"results":[{"UID":"a1","profile":{"email":"a@x.io"}}, {"UID": broken}, 42, {"UID":"a2","profile":{"email":"b@x.io"}}, {"UID":"a3","pro';
    await writeFile(join(dir, 'broken.json'), text);
    const pages = await collect(fileConnector({ files: ['broken.json'] }));
    expect(pages.flatMap((p) => p.records.map((r) => r.user_id))).toEqual(['a1', 'a2']);
    expect(pages.flatMap((p) => p.rejects ?? [])).toEqual([
      { ref: { row: 'broken.json#1' }, code: 'unreadable_account', reason: 'The account is invalid JSON.' },
      { ref: { row: 'broken.json#2' }, code: 'unreadable_account', reason: 'The account is not a JSON object.' },
      { ref: { row: 'broken.json#4' }, code: 'unreadable_account', reason: 'The account is the file ends inside an account (truncated).' },
    ]);
  });

  it('a file that is not JSON accounts, a missing file and an unknown checkpoint file are clear errors', async () => {
    await writeFile(join(dir, 'csv.json'), 'UID,email\n');
    await expect(collect(fileConnector({ files: ['csv.json'] }))).rejects.toMatchObject({ code: 'gigya_identity_sync_layout' });
    await expect(collect(fileConnector({ files: ['nope.json'] }))).rejects.toMatchObject({ errorClass: 'config', code: 'gigya_identity_sync_missing' });
    await writeFile(join(dir, 'one.ndjson'), '{"UID":"x"}\n');
    await expect(collect(fileConnector({ files: ['one.ndjson'] }), { file: 'other.json', index: 3 })).rejects.toMatchObject({ code: 'checkpoint_invalid' });
    await writeFile(join(dir, 'cut.json.gz'), gzipSync(Buffer.from('[{"UID":"x"},{"UID":"y"}]')).subarray(0, 20));
    await expect(collect(fileConnector({ files: ['cut.json.gz'] }))).rejects.toMatchObject({ code: 'gigya_identity_sync_unreadable' });
  });
});

describe('JsonRecordSplitter', () => {
  const texts = (out: SplitElement[]) => out.map((e) => ('text' in e ? JSON.parse(e.text.toString('utf8')) : 'scalar') as unknown);
  const tricky = [
    { UID: 'q1', data: { note: 'brackets ] } [ { and "quotes" and \\ backslash \\"', results: [1, 2] } },
    { UID: 'q2', profile: { firstName: 'Zoë 😀', lastName: '\u00e9' }, accounts: [{ nested: true }] },
  ];

  it.each([
    ['array', `\ufeff[ ${tricky.map((t) => JSON.stringify(t, null, 2)).join(' ,\n')} ]`, tricky],
    ['results wrapper after other keys', `{"callId":"c","meta":{"results":"no"},"results":${JSON.stringify(tricky)},"totalCount":2}`, tricky],
    ['accounts wrapper', `{"accounts":${JSON.stringify(tricky)}}`, tricky],
    ['NDJSON', `${tricky.map((t) => JSON.stringify(t)).join('\r\n')}\r\n`, tricky],
    ['one bare account', JSON.stringify(tricky[0]), [tricky[0]]],
  ])('%s, fed one byte at a time and all at once', (_name, text, expected) => {
    const bytes = Buffer.from(text, 'utf8');
    const whole = new JsonRecordSplitter();
    expect(texts(whole.push(bytes))).toEqual(expected);
    expect(whole.complete).toBe(true);
    const slow = new JsonRecordSplitter();
    const out: SplitElement[] = [];
    for (let i = 0; i < bytes.length; i++) out.push(...slow.push(bytes.subarray(i, i + 1)));
    expect(texts(out)).toEqual(expected);
  });
});
