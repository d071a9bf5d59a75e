/**
 * Reading IdentitySync output files as a stream of accounts, one at a time: the file is
 * read in chunks (gunzipped when it starts with the gzip magic bytes), cut into account
 * texts by {@link JsonRecordSplitter}, and each text parsed on its own.
 */
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { createGunzip } from 'node:zlib';
import { ConfigError, DataError, type JsonValue } from '@ferry/core';
import type { GigyaAccount } from './gigya-account';
import type { GigyaIdentitySyncConfig } from './gigya-config';
import { JsonRecordSplitter, UnsupportedLayoutError } from './json-record-splitter';

const ACCOUNT_FILE = /\.(json|jsonl|ndjson)(\.gz)?$|\.gz$/i;

/** Where a file export resumes: in this file (as configured), after this many elements. */
export interface FileCheckpoint {
  file: string;
  index: number;
}

/** One configured file: how the checkpoint names it, and where it is. */
export interface SyncFile {
  name: string;
  path: string;
}

/** One element of a file: an account, or why it is not one. */
export type SyncElement = { index: number; account: GigyaAccount } | { index: number; error: string };

/** The files to read, in order: `files` as listed, then `dir`'s account files sorted by name. */
export async function listSyncFiles(config: GigyaIdentitySyncConfig, baseDir: string): Promise<SyncFile[]> {
  const at = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  const files: SyncFile[] = (config.files ?? []).map((f) => ({ name: f, path: at(f) }));
  if (config.dir !== undefined) {
    const dir = at(config.dir);
    const names = await readdir(dir).catch(() => {
      throw new ConfigError('gigya_identity_sync_missing', `The IdentitySync folder '${config.dir}' cannot be read.`, {
        hint: 'Set identitySync.dir to the folder the dataflow writes to, relative to ferry.yaml.',
      });
    });
    for (const name of names.filter((n) => ACCOUNT_FILE.test(n)).sort()) files.push({ name: `${config.dir}/${name}`, path: join(dir, name) });
  }
  for (const f of files) {
    const ok = await stat(f.path).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!ok) throw new ConfigError('gigya_identity_sync_missing', `The IdentitySync file '${f.name}' does not exist.`, { hint: 'Check identitySync.files (paths are relative to ferry.yaml).' });
  }
  if (files.length === 0) throw new ConfigError('gigya_identity_sync_empty', 'identitySync names no account files.', { hint: 'List files, or point dir at a folder of .json/.ndjson(.gz) files.' });
  return files;
}

/** Where to resume in `files` for `checkpoint`. */
export function resumeAt(files: readonly SyncFile[], checkpoint: JsonValue | undefined): { fileIndex: number; skip: number } {
  if (checkpoint === undefined || checkpoint === null) return { fileIndex: 0, skip: 0 };
  const cp = checkpoint as Partial<FileCheckpoint>;
  const fileIndex = files.findIndex((f) => f.name === cp.file);
  if (typeof cp.index !== 'number' || fileIndex < 0) {
    throw new ConfigError('checkpoint_invalid', `The Gigya file export checkpoint names a file that is not configured (${typeof cp.file === 'string' ? basename(cp.file) : 'none'}).`, {
      hint: 'Keep identitySync unchanged while an export is resumable, or start afresh.',
    });
  }
  return { fileIndex, skip: cp.index };
}

async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/** The elements of `file` from index `skip` on; skipped elements are cut but not parsed. */
export async function* readSyncFile(file: SyncFile, skip = 0): AsyncGenerator<SyncElement> {
  const raw = createReadStream(file.path, { highWaterMark: 1 << 20 });
  let source: NodeJS.ReadableStream = raw;
  if (await isGzip(file.path)) {
    const gunzip = createGunzip();
    raw.on('error', (err) => gunzip.destroy(err));
    source = raw.pipe(gunzip);
  }
  const splitter = new JsonRecordSplitter();
  let index = 0;
  try {
    for await (const chunk of source) {
      let elements;
      try {
        elements = splitter.push(chunk as Buffer);
      } catch (err) {
        if (!(err instanceof UnsupportedLayoutError)) throw err;
        throw new DataError('gigya_identity_sync_layout', `'${file.name}' is not a JSON array, a {results|accounts} object or NDJSON (found ${err.message}).`, {
          hint: 'Use file.format.json in the dataflow (optionally with file.compress.gzip).',
        });
      }
      for (const element of elements) {
        const at = index++;
        if (at < skip) continue;
        if ('scalar' in element) {
          yield { index: at, error: 'not a JSON object' };
          continue;
        }
        let parsed: unknown;
        try {
          parsed = JSON.parse(element.text.toString('utf8'));
        } catch {
          yield { index: at, error: 'invalid JSON' };
          continue;
        }
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) yield { index: at, account: parsed as GigyaAccount };
        else yield { index: at, error: 'not a JSON object' };
      }
    }
  } catch (err) {
    if (err instanceof DataError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new DataError('gigya_identity_sync_unreadable', `'${file.name}' could not be read (${code}).`, { hint: 'Check the file is complete; a .gz must not be truncated.', details: { file: file.name, code } });
  } finally {
    raw.destroy();
  }
  if (!splitter.complete && index >= skip) yield { index, error: 'the file ends inside an account (truncated)' };
}
