/**
 * Reading a Stormpath export directory as a stream of account files. Two layouts:
 * `stormpath-export` writes `{tenant}/accounts/{id}.json` (no passwords); Stormpath's
 * support export writes `{tenant}/accounts/{directoryId}/{id}.json` with a `password`.
 * Only the sorted list of file names is held in memory, never the accounts.
 */
import { opendir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, type JsonValue } from '@ferry/core';
import type { StormpathAccount } from './stormpath-account';

/** Where a directory export resumes: after this file, at this position of the sorted list. */
export interface DirectoryCheckpoint {
  after: string;
  position: number;
}

/** One account file read from the export. */
export type ExportFile = { path: string; account: StormpathAccount } | { path: string; error: string };

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** Entries of `dir` (no recursion), as [name, isDirectory]. */
async function entries(dir: string): Promise<Array<[string, boolean]>> {
  const out: Array<[string, boolean]> = [];
  for await (const entry of await opendir(dir)) out.push([entry.name, entry.isDirectory()]);
  return out;
}

/**
 * Every account file under `root` (either layout; `root` may be the export folder or
 * one tenant inside it), as `/`-joined relative paths sorted by code unit.
 */
export async function listAccountFiles(root: string): Promise<string[]> {
  if (!(await isDirectory(root))) {
    throw new ConfigError('stormpath_export_missing', `The Stormpath export directory '${root}' does not exist.`, {
      hint: 'Set exportDir to the folder stormpath-export (or Stormpath support) produced, relative to ferry.yaml.',
    });
  }
  const accountDirs: string[] = [];
  if (await isDirectory(join(root, 'accounts'))) accountDirs.push('accounts');
  for (const [name, dir] of await entries(root)) if (dir && (await isDirectory(join(root, name, 'accounts')))) accountDirs.push(`${name}/accounts`);
  const files: string[] = [];
  for (const accounts of accountDirs) {
    for (const [name, dir] of await entries(join(root, accounts))) {
      if (!dir) {
        if (name.endsWith('.json')) files.push(`${accounts}/${name}`);
        continue;
      }
      for (const [inner, innerDir] of await entries(join(root, accounts, name))) if (!innerDir && inner.endsWith('.json')) files.push(`${accounts}/${name}/${inner}`);
    }
  }
  if (files.length === 0) {
    throw new ConfigError('stormpath_export_empty', `No account files found under '${root}'.`, {
      hint: "Expected {tenant}/accounts/{id}.json (stormpath-export) or {tenant}/accounts/{directoryId}/{id}.json (support export).",
    });
  }
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The index to resume at: right after `checkpoint.after`, found by binary search if files moved. */
export function resumeIndex(files: readonly string[], checkpoint: JsonValue | undefined): number {
  if (checkpoint === undefined || checkpoint === null) return 0;
  const { after, position } = checkpoint as unknown as DirectoryCheckpoint;
  if (typeof after !== 'string') throw new ConfigError('checkpoint_invalid', 'The Stormpath export checkpoint has no file name.');
  if (files[position - 1] === after) return position;
  let lo = 0;
  let hi = files.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((files[mid] as string) <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Read `paths` (relative to `root`), a few at a time; unreadable files come back as errors. */
export async function readAccountFiles(root: string, paths: readonly string[], concurrency = 16): Promise<ExportFile[]> {
  const out: ExportFile[] = new Array<ExportFile>(paths.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      const i = next++;
      const path = paths[i] as string;
      try {
        const parsed: unknown = JSON.parse(await readFile(join(root, path), 'utf8'));
        out[i] = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? { path, account: parsed as StormpathAccount } : { path, error: 'not a JSON object' };
      } catch (err) {
        out[i] = { path, error: err instanceof SyntaxError ? 'invalid JSON' : `unreadable (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, paths.length) }, worker));
  return out;
}
