/**
 * Reading a password without echoing it or putting it on the command line.
 */
import { createInterface } from 'node:readline';
import { ConfigError } from '@ferry/core';

/** Options for {@link readPassword}. */
export interface PasswordInputOptions {
  /** Read the first line of stdin instead of prompting. */
  fromStdin: boolean;
  prompt: string;
  input?: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => void };
  output?: NodeJS.WritableStream;
}

/** Read one password: the first line of stdin (`--password-stdin`) or a hidden prompt on a TTY. */
export async function readPassword(options: PasswordInputOptions): Promise<string> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stderr;
  if (options.fromStdin) {
    const line = await firstLine(input);
    if (line === undefined || line === '') {
      throw new ConfigError('password_missing', 'No password on standard input.', { hint: "Pipe it in: printf '%s\\n' \"$PASSWORD\" | ferry … --password-stdin" });
    }
    return line;
  }
  if (!input.isTTY) {
    throw new ConfigError('password_no_tty', 'There is no terminal to prompt for the password.', {
      hint: 'Pass --password-stdin and pipe the password in.',
    });
  }
  return hiddenPrompt(input, output, options.prompt);
}

function firstLine(input: NodeJS.ReadableStream): Promise<string | undefined> {
  return new Promise((resolvePromise, reject) => {
    const rl = createInterface({ input, terminal: false });
    let done = false;
    rl.once('line', (line) => {
      done = true;
      rl.close();
      resolvePromise(line.replace(/\r$/, ''));
    });
    rl.once('close', () => {
      if (!done) resolvePromise(undefined);
    });
    rl.once('error', reject);
  });
}

function hiddenPrompt(input: NodeJS.ReadableStream & { setRawMode?: (raw: boolean) => void }, output: NodeJS.WritableStream, prompt: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    output.write(prompt);
    input.setRawMode?.(true);
    input.resume();
    let value = '';
    const finish = (err?: Error) => {
      input.setRawMode?.(false);
      input.pause();
      input.removeListener('data', onData);
      output.write('\n');
      if (err) reject(err);
      else resolvePromise(value);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(new ConfigError('password_cancelled', 'Cancelled.'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    input.on('data', onData);
  });
}
