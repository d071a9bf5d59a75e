/**
 * Digest loops Ferry drives from JavaScript (crypt(3), phpass, Stormpath). Each round is
 * one synchronous node:crypto call, so a long loop would hold the event loop for its whole
 * cost (1,000,000 sha512-crypt rounds ≈ 2 s). The loops run in slices of about a
 * millisecond and yield between slices, so other requests keep being served.
 */
import { hash as oneShot } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Rounds per slice: roughly 1 ms of work on a current server core (64-byte-block digests are about twice as fast as SHA-384/512). */
export function sliceRounds(digest: string): number {
  return digest === 'sha384' || digest === 'sha512' ? 512 : 1024;
}

/** Calls `run(from, to)` over [0, count) in slices of `slice` rounds, yielding to the event loop between slices. */
export async function inSlices(count: number, slice: number, run: (from: number, to: number) => void): Promise<void> {
  for (let from = 0; from < count; from += slice) {
    if (from > 0) await nextTurn();
    run(from, Math.min(count, from + slice));
  }
}

/**
 * The mixing rounds md5-crypt and sha-crypt share: round i digests
 * (i odd ? P : C) ‖ (i % 3 ? S : ∅) ‖ (i % 7 ? P : ∅) ‖ (i odd ? C : P), C being the
 * previous digest. Only 8 layouts exist, so each is assembled once with a slot for C:
 * a round is then one copy and one one-shot digest call instead of four updates.
 */
export async function cryptRounds(digest: 'md5' | 'sha256' | 'sha512', start: Buffer, p: Buffer, s: Buffer, rounds: number): Promise<Buffer> {
  const size = start.length;
  const layouts: { buf: Buffer; at: number }[] = [];
  for (let k = 0; k < 8; k++) {
    const odd = (k & 4) !== 0;
    const withS = (k & 2) !== 0;
    const withP = (k & 1) !== 0;
    const parts = [odd ? p : Buffer.alloc(size), ...(withS ? [s] : []), ...(withP ? [p] : []), odd ? Buffer.alloc(size) : p];
    const buf = Buffer.concat(parts);
    layouts.push({ buf, at: odd ? buf.length - size : 0 });
  }
  let c = start;
  await inSlices(rounds, sliceRounds(digest), (from, to) => {
    for (let i = from; i < to; i++) {
      const layout = layouts[((i & 1) << 2) | (i % 3 ? 2 : 0) | (i % 7 ? 1 : 0)] as { buf: Buffer; at: number };
      c.copy(layout.buf, layout.at);
      c = oneShot(digest, layout.buf, 'buffer');
    }
  });
  return c;
}
