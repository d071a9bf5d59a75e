/**
 * Determinism for the legacy-database generator: every user is a pure function of
 * (seed, index), so any user can be regenerated alone — tests and the demo log in as
 * user i without reading the database, and generation streams in constant memory.
 */
import { createHash } from 'node:crypto';

/** A seed for the generator: any string or number. */
export type Seed = string | number;

/** A small seeded PRNG (sfc32): fast, and good enough for test data. */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** A generator seeded from `seed` and the user index `i` (domain-separated by `purpose`). */
  constructor(seed: Seed, i: number, purpose = 'user') {
    const h = createHash('sha256').update(`${purpose}:${String(seed)}:${i}`).digest();
    this.a = h.readUInt32LE(0);
    this.b = h.readUInt32LE(4);
    this.c = h.readUInt32LE(8);
    this.d = h.readUInt32LE(12);
  }

  /** A float in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  /** `n` random bytes. */
  bytes(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    for (let k = 0; k < n; k++) out[k] = this.int(256);
    return out;
  }

  /** `n` characters from `alphabet`. */
  chars(n: number, alphabet: string): string {
    let out = '';
    for (let k = 0; k < n; k++) out += alphabet[this.int(alphabet.length)];
    return out;
  }
}

/**
 * The plaintext password of user `i` of a database generated with `seed`. Stable across
 * runs and versions: the demo and tests log in with it.
 */
export function passwordFor(seed: Seed, i: number): string {
  const h = createHash('sha256').update(`password:${String(seed)}:${i}`).digest('base64url');
  // A capital, digits and a symbol, like a password a real sign-up form would accept.
  return `${h.slice(0, 1).toUpperCase()}${h.slice(1, 11)}-${i % 100}!`;
}
