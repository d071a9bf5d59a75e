import { createInterface } from 'node:readline';
import { Flags } from '@oclif/core';
import { ConfigError, FerryError, PasswordHashingService, type LegacyHash } from '@ferry/core';
import { EXIT_NEGATIVE } from '../../exit-codes';
import { FerryCommand } from '../../ferry-command';
import { parseHashArgument } from '../../hash-input';

type LineResult = { match: boolean; scheme: string } | { error: string; code?: string };

export default class HashVerify extends FerryCommand {
  static override summary = 'Check a password against a legacy hash, or a batch of NDJSON lines.';
  static override description =
    'Batch mode (--ndjson) reads lines {"hash": <string|object>, "password": "…"} from stdin and writes one line per input: {"match": true|false, "scheme": "…"} or {"error": "…"} for that line only.';
  static override examples = [
    "printf '%s\\n' \"$PW\" | <%= config.bin %> hash verify --hash '$2b$10$…' --password-stdin",
    '<%= config.bin %> hash verify --ndjson < pairs.ndjson > results.ndjson',
  ];
  static override flags = {
    hash: Flags.string({ summary: 'The hash (string or structured JSON).', exclusive: ['ndjson'] }),
    'password-stdin': Flags.boolean({ summary: 'Read the password from the first line of stdin.' }),
    ndjson: Flags.boolean({ summary: 'Verify NDJSON lines from stdin.' }),
  };

  async run(): Promise<LineResult | { lines: number; errors: number }> {
    const { flags } = await this.parse(HashVerify);
    const hashing = new PasswordHashingService();
    if (flags.ndjson) return this.batch(hashing);
    if (flags.hash === undefined) throw new ConfigError('hash_missing', 'No hash given.', { hint: 'Pass --hash <hash>, or --ndjson for a batch on stdin.' });
    const hash = parseHashArgument(flags.hash);
    const password = await this.password(flags['password-stdin']);
    const result = await hashing.verify(hash, password);
    this.say(result.match ? `match (${result.scheme})` : `no match (${result.scheme})`);
    if (!result.match) process.exitCode = EXIT_NEGATIVE;
    return result;
  }

  private async batch(hashing: PasswordHashingService): Promise<{ lines: number; errors: number }> {
    let lines = 0;
    let errors = 0;
    for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
      if (line.trim() === '') continue;
      lines++;
      const result = await verifyLine(hashing, line, lines);
      if ('error' in result) errors++;
      process.stdout.write(`${JSON.stringify(result)}\n`);
    }
    process.stderr.write(`${lines} lines, ${errors} errors\n`);
    return { lines, errors };
  }
}

async function verifyLine(hashing: PasswordHashingService, line: string, n: number): Promise<LineResult> {
  let input: { hash?: unknown; password?: unknown };
  try {
    input = JSON.parse(line) as typeof input;
  } catch {
    return { error: `line ${n} is not JSON`, code: 'line_invalid' };
  }
  if (input === null || typeof input !== 'object' || typeof input.password !== 'string' || (typeof input.hash !== 'string' && (typeof input.hash !== 'object' || input.hash === null))) {
    return { error: `line ${n} needs "hash" (string or object) and "password" (string)`, code: 'line_invalid' };
  }
  try {
    return await hashing.verify(input.hash as LegacyHash, input.password);
  } catch (err) {
    // The message never contains the hash or the password (hashing errors are built from the scheme only).
    if (err instanceof FerryError) return { error: err.message, code: err.code };
    return { error: `line ${n} could not be verified`, code: 'internal' };
  }
}
