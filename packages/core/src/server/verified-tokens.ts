/**
 * Remembers bearer tokens that passed verification, so a caller that reuses its token
 * (Auth0 scripts cache theirs for its whole lifetime) costs a SHA-256 and a map lookup per
 * request instead of an RSA/ECDSA signature check, which node runs on libuv's threadpool
 * where it would queue behind password hashes.
 */
import { createHash } from 'node:crypto';
import type { Principal } from './auth';

/** A bounded map from a token's digest to the caller it proved, valid until the token expires. */
export class VerifiedTokens {
  // Insertion order is age order: the first key is the oldest entry.
  private readonly entries = new Map<string, { principal: Principal; untilMs: number }>();

  /**
   * @param maxAgeMs longest an entry is trusted without checking the signature again, so a
   *   key withdrawn from the JWKS stops being accepted within this time.
   * @param maxEntries bound on memory; the oldest entry is dropped first.
   */
  constructor(
    private readonly maxAgeMs = 60_000,
    private readonly maxEntries = 1000,
  ) {}

  /** The caller `token` proved earlier, if its entry is still valid at `nowMs`. */
  get(token: string, nowMs = Date.now()): Principal | undefined {
    const id = idOf(token);
    const hit = this.entries.get(id);
    if (hit === undefined) return undefined;
    if (nowMs < hit.untilMs) return hit.principal;
    this.entries.delete(id);
    return undefined;
  }

  /** Remember a verified token until the earlier of its `exp` (seconds) and `maxAgeMs` from now. */
  set(token: string, principal: Principal, expSec: number | undefined, nowMs = Date.now()): void {
    if (expSec === undefined) return;
    const untilMs = Math.min(expSec * 1000, nowMs + this.maxAgeMs);
    if (untilMs <= nowMs) return;
    const id = idOf(token);
    this.entries.delete(id);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(id, { principal, untilMs });
  }

  /** Entries held. */
  get size(): number {
    return this.entries.size;
  }
}

// Keyed by digest so the process keeps no bearer tokens beyond the requests carrying them.
const idOf = (token: string): string => createHash('sha256').update(token, 'utf8').digest('base64');
