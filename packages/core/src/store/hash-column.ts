/**
 * How both stores keep a credential's hash in one text column: structured hashes as
 * JSON, strings as they are, each prefixed so the two never collide.
 */
import type { LegacyHash } from '../contracts/password-hash';

/** A hash as stored in the `hash` column. */
export function encodeHash(hash: LegacyHash): string {
  return typeof hash === 'string' ? `s:${hash}` : `j:${JSON.stringify(hash)}`;
}

/** Inverse of {@link encodeHash}. */
export function decodeHash(stored: string): LegacyHash {
  return stored.startsWith('j:') ? (JSON.parse(stored.slice(2)) as LegacyHash) : stored.slice(2);
}
