/**
 * Digest loops Ferry drives from JavaScript (crypt(3), phpass, Stormpath). Each round is
 * one synchronous node:crypto call, so a long loop would hold the event loop for its whole
 * cost (1,000,000 sha512-crypt rounds ≈ 2 s). The loops run in slices of about a
 * millisecond and yield between slices, so other requests keep being served.
 */
import { hash as oneShot } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { DigestName } from './digest';

/** Digests node:crypto computes (MD4 is Ferry's own TypeScript and never iterated). */
export type OpenSslDigest = Exclude<DigestName, 'md4'>;

/** Rounds per slice: roughly 1 ms of work on a current server core (64-byte-block digests are about twice as fast as SHA-384/512). */
export function sliceRounds(digest: string): number {
  return digest === 'sha384' || digest === 'sha512' ? 512 : 1024;
}

/**
 * Runs `rounds` rounds of `step` over `state`, in slices of `slice`, yielding to the
 * event loop between slices. `step(state, from, to)` runs rounds [from, to) and returns
 * the new state: the state is passed and returned rather than captured and reassigned,
 * which keeps it in registers in the hot loop (about 10% faster than a closure variable).
 */
export async function inSlices<T>(rounds: number, slice: number, state: T, step: (state: T, from: number, to: number) => T): Promise<T> {
  let current = state;
  for (let from = 0; from < rounds; from += slice) {
    if (from > 0) await nextTurn();
    current = step(current, from, Math.min(rounds, from + slice));
  }
  return current;
}

/** One assembled round input of the crypt(3) mixing rounds, with the slot for C at `at`. */
interface Layout {
  buf: Buffer;
  at: number;
}

/** State of the crypt(3) mixing rounds between slices. */
interface MixState {
  digest: 'md5' | 'sha256' | 'sha512';
  layouts: readonly Layout[];
  c: Buffer;
}

function mix(state: MixState, from: number, to: number): MixState {
  const { digest, layouts } = state;
  let c = state.c;
  for (let i = from; i < to; i++) {
    const layout = layouts[((i & 1) << 2) | (i % 3 ? 2 : 0) | (i % 7 ? 1 : 0)] as Layout;
    c.copy(layout.buf, layout.at);
    c = oneShot(digest, layout.buf, 'buffer');
  }
  return { digest, layouts, c };
}

/**
 * The mixing rounds md5-crypt and sha-crypt share: round i digests
 * (i odd ? P : C) ‖ (i % 3 ? S : ∅) ‖ (i % 7 ? P : ∅) ‖ (i odd ? C : P), C being the
 * previous digest. Only 8 layouts exist, so each is assembled once with a slot for C:
 * a round is then one copy and one one-shot digest call instead of four updates.
 */
export async function cryptRounds(digest: 'md5' | 'sha256' | 'sha512', start: Buffer, p: Buffer, s: Buffer, rounds: number): Promise<Buffer> {
  const size = start.length;
  const layouts: Layout[] = [];
  for (let k = 0; k < 8; k++) {
    const odd = (k & 4) !== 0;
    const parts = [odd ? p : Buffer.alloc(size), ...((k & 2) !== 0 ? [s] : []), ...((k & 1) !== 0 ? [p] : []), odd ? Buffer.alloc(size) : p];
    const buf = Buffer.concat(parts);
    layouts.push({ buf, at: odd ? buf.length - size : 0 });
  }
  return (await inSlices(rounds, sliceRounds(digest), { digest, layouts, c: start }, mix)).c;
}

/** State of an iterated digest h = D(h ‖ suffix) between slices (phpass: suffix = password; Stormpath: none). */
interface ChainState {
  digest: OpenSslDigest;
  /** h ‖ suffix, h rewritten in place each round. */
  buf: Buffer;
  h: Buffer;
}

function chain(state: ChainState, from: number, to: number): ChainState {
  const { digest, buf } = state;
  let h = state.h;
  for (let i = from; i < to; i++) {
    h.copy(buf, 0);
    h = oneShot(digest, buf, 'buffer');
  }
  return { digest, buf, h };
}

/**
 * `count` more rounds of h = D(h ‖ suffix) from `start` (phpass/Drupal with the password as
 * suffix, Shiro/Stormpath iterations with none), yielding between slices.
 */
export async function chainRounds(digest: OpenSslDigest, start: Buffer, suffix: Buffer, count: number): Promise<Buffer> {
  const buf = Buffer.alloc(start.length + suffix.length);
  suffix.copy(buf, start.length);
  return (await inSlices(count, sliceRounds(digest), { digest, buf, h: start }, chain)).h;
}
