/**
 * Import files as a record source for `ferry import`: Auth0 import files (a JSON array
 * per file, as `ferry export` or any script writes them) and NDJSON (one record per line,
 * streamed). The checkpoint is the file's position in the list and the records done in
 * it, so an import resumes where it stopped.
 */
import { createReadStream, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import type { ExportOptions, ExportPage, ExportReject } from '../contracts/connector';
import type { ImportRecord, JsonValue } from '../contracts/profile';
import { ConfigError } from '../errors';
import type { RecordSource } from './bulk-run';

/** JSON-array files above this size must be NDJSON (an array is parsed whole). */
const MAX_JSON_ARRAY_BYTES = 64 * 1024 * 1024;

interface FilePosition {
  file: number;
  record: number;
}

function isPosition(value: JsonValue | undefined): value is JsonValue & FilePosition {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof value.file === 'number' && typeof value.record === 'number';
}

/** Re-imported Auth0 exports carry `auth0|` ids; the import adds that prefix itself. */
function toRecord(value: unknown): ImportRecord | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const record = value as ImportRecord;
  if (typeof record.user_id === 'string' && record.user_id.startsWith('auth0|')) return { ...record, user_id: record.user_id.slice('auth0|'.length) };
  return record;
}

/** Reads import files page by page. */
export class ImportFileSource implements RecordSource {
  readonly id = 'import-files';

  constructor(
    private readonly files: readonly string[],
    private readonly pageSize = 1000,
  ) {
    for (const file of files) {
      let size: number;
      try {
        size = statSync(file).size;
      } catch {
        throw new ConfigError('import_file_missing', `The import file ${file} does not exist or cannot be read.`, { hint: 'Check the path.' });
      }
      if (!file.endsWith('.ndjson') && !file.endsWith('.jsonl') && size > MAX_JSON_ARRAY_BYTES) {
        throw new ConfigError('import_file_too_large', `${file} is a ${Math.round(size / 1048576)} MB JSON file; JSON arrays are read whole.`, {
          hint: 'Split it, or convert it to NDJSON (one record per line, extension .ndjson), which is streamed.',
        });
      }
    }
  }

  async *exportUsers(options: ExportOptions): AsyncIterable<ExportPage> {
    const start: FilePosition = isPosition(options.checkpoint) ? { file: options.checkpoint.file, record: options.checkpoint.record } : { file: 0, record: 0 };
    for (let f = start.file; f < this.files.length; f += 1) {
      const file = this.files[f] as string;
      let records: ImportRecord[] = [];
      let rejects: ExportReject[] = [];
      let index = 0;
      const from = f === start.file ? start.record : 0;
      const lastFile = f === this.files.length - 1;
      const page = (done: boolean): ExportPage => ({ records, rejects, checkpoint: done && lastFile ? null : done ? { file: f + 1, record: 0 } : { file: f, record: index } });
      for await (const item of this.items(file)) {
        index += 1;
        if (index <= from) continue;
        const record = item.ok ? toRecord(item.value) : null;
        if (record === null) {
          rejects.push({ ref: { row: `${basename(file)}:${index}` }, code: 'import_record_invalid', reason: item.ok ? 'The entry is not a JSON object.' : item.reason });
        } else records.push(record);
        if (records.length + rejects.length >= this.pageSize) {
          yield page(false);
          records = [];
          rejects = [];
          if (options.signal?.aborted === true) return;
        }
      }
      yield page(true);
      if (options.signal?.aborted === true) return;
    }
    if (this.files.length === 0) yield { records: [], checkpoint: null };
  }

  private async *items(file: string): AsyncIterable<{ ok: true; value: unknown } | { ok: false; reason: string }> {
    if (file.endsWith('.ndjson') || file.endsWith('.jsonl')) {
      const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
      let n = 0;
      for await (const line of lines) {
        n += 1;
        if (line.trim() === '') continue;
        try {
          yield { ok: true, value: JSON.parse(line) as unknown };
        } catch {
          yield { ok: false, reason: `Line ${n} is not valid JSON.` };
        }
      }
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(file, 'utf8'));
    } catch {
      // The parser's message quotes the file's text, which may hold hashes: name the file only.
      throw new ConfigError('import_file_invalid', `${file} is not valid JSON.`, {
        hint: 'An Auth0 import file is a JSON array of user objects; NDJSON files need the .ndjson extension.',
      });
    }
    if (!Array.isArray(parsed)) {
      throw new ConfigError('import_file_invalid', `${file} is not a JSON array.`, { hint: 'An Auth0 import file is a JSON array of user objects.' });
    }
    for (const value of parsed) yield { ok: true, value };
  }
}
