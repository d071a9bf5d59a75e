/**
 * Bounds how many password hashes `ferry serve` computes at once. argon2 runs on libuv's
 * threadpool (4 threads by default): on a 2-core machine four verifies at once each take
 * twice as long, and everything else that needs the pool (JWT signature checks, file I/O)
 * queues behind them. With at most one verify per core, waiting happens in a FIFO queue
 * here instead, each verify runs at full speed, and the pool keeps a thread free.
 */
import { availableParallelism } from 'node:os';
import type { HashVerifyResult, LegacyHash } from '../contracts/password-hash';
import type { PasswordHashing } from '../contracts/password-hashing';

/** A FIFO counting semaphore: at most `size` tasks run, the rest start in arrival order. */
export class Slots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  /** @param size how many tasks may run at once (at least 1). */
  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`Slots needs a whole number of slots ≥ 1, not ${size}.`);
  }

  /** Tasks waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Tasks holding a slot. */
  get active(): number {
    return this.running;
  }

  /** Run `task` once a slot is free; the slot is released however the task ends. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running < this.size) this.running++;
    // A released slot is handed straight to the first waiter, so `running` stays counted.
    else await new Promise<void>((start) => this.waiting.push(start));
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next === undefined) this.running--;
    else next();
  }
}

/**
 * The default number of hashes at once: one per core, and always one thread of libuv's
 * pool (`UV_THREADPOOL_SIZE`, default 4) left for the rest of the server.
 */
export function defaultHashConcurrency(cores = availableParallelism(), poolSize = Number(process.env.UV_THREADPOOL_SIZE ?? 4)): number {
  const pool = Number.isInteger(poolSize) && poolSize > 0 ? poolSize : 4;
  return Math.max(1, Math.min(cores, pool - 1));
}

/** `hashing` with `hash` and `verify` run through `slots`; the synchronous calls pass straight through. */
export function limitHashing(hashing: PasswordHashing, slots: Slots): PasswordHashing {
  return {
    hash: (password: string): Promise<string> => slots.run(() => hashing.hash(password)),
    verify: (stored: LegacyHash, password: string): Promise<HashVerifyResult> => slots.run(() => hashing.verify(stored, password)),
    needsRehash: (stored: LegacyHash): boolean => hashing.needsRehash(stored),
    schemeOf: (stored: LegacyHash): string => hashing.schemeOf(stored),
  };
}
