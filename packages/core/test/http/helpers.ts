/**
 * Test doubles for the HTTP client tests: a clock that never really waits, a log capture.
 * Kept free of nock so the real-server tests exercise the unpatched global fetch.
 */
import { Writable } from 'node:stream';
import { FerryError } from '../../src/errors';
import type { Clock } from '../../src/http/clock';
import { createLogger, type Logger } from '../../src/logging/logger';

/** A clock whose sleeps return at once and move its time forward; it records each sleep. */
export class InstantClock implements Clock {
  readonly sleeps: number[] = [];

  constructor(public time = Date.UTC(2024, 0, 1, 12, 0, 0)) {}

  now(): number {
    return this.time;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    this.sleeps.push(ms);
    this.time += Math.max(0, ms);
    // Yield like a real timer would, so other waiters get a turn.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** The current time in Unix seconds, as rate-limit headers state it. */
  epochSeconds(): number {
    return Math.floor(this.time / 1000);
  }
}

/** A debug-level logger whose output lines are kept in memory. */
export function captureLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter((line) => line !== ''));
      callback();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines };
}

/** Parsed log lines with the given message. */
export function logRecords(lines: string[], msg: string): Record<string, unknown>[] {
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((record) => record.msg === msg);
}

/** Await a promise expected to reject with a Ferry error, and return that error. */
export async function failure(promise: Promise<unknown>): Promise<FerryError> {
  const err: unknown = await promise.then(
    () => new Error('expected the request to fail'),
    (e: unknown) => e,
  );
  if (!(err instanceof FerryError)) throw err;
  return err;
}
