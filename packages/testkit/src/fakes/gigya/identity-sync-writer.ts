/**
 * Writes IdentitySync-style account files (what `file.format.json`, optionally followed
 * by `file.compress.gzip`, leaves on the SFTP server) from the deterministic generator,
 * streaming with backpressure so 100,000 accounts never sit in memory.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { buildFakeAccount, type FakeGigyaAccountInput, gigyaAccountAt } from './fake-gigya-accounts';

/** The JSON wrapping of an IdentitySync file. */
export type IdentitySyncLayout = 'array' | 'results' | 'accounts' | 'ndjson';

/** Options of {@link writeIdentitySyncFile}. */
export interface WriteIdentitySyncOptions {
  layout: IdentitySyncLayout;
  /** Generated accounts `gigyaAccountAt(from … from+count-1)`; ignored when `accounts` is given. */
  count?: number;
  from?: number;
  /** Explicit accounts instead of generated ones. */
  accounts?: FakeGigyaAccountInput[];
  gzip?: boolean;
  /** Indent each account (a pretty-printed dataflow output). */
  pretty?: boolean;
}

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

/** Write one file at `path`; resolves with the number of accounts written. */
export async function writeIdentitySyncFile(path: string, options: WriteIdentitySyncOptions): Promise<number> {
  const file = createWriteStream(path);
  const gzip = options.gzip ? createGzip() : undefined;
  if (gzip) gzip.pipe(file);
  const out: Writable = gzip ?? file;
  const count = options.accounts?.length ?? options.count ?? 0;
  const from = options.from ?? 0;
  const at = (i: number) => buildFakeAccount(options.accounts?.[i] ?? gigyaAccountAt(from + i)).account;
  const ndjson = options.layout === 'ndjson';
  if (options.layout === 'array') await write(out, '[\n');
  if (options.layout === 'results' || options.layout === 'accounts') await write(out, `{"callId":"fake","totalCount":${count},"${options.layout}":[\n`);
  for (let i = 0; i < count; i++) {
    const text = JSON.stringify(at(i), null, options.pretty && !ndjson ? 2 : undefined);
    await write(out, ndjson ? `${text}\n` : `${i === 0 ? '' : ',\n'}${text}`);
  }
  if (options.layout === 'array') await write(out, '\n]\n');
  if (options.layout === 'results' || options.layout === 'accounts') await write(out, '\n],"objectsCount":' + count + '}\n');
  out.end();
  await once(file, 'close');
  return count;
}
