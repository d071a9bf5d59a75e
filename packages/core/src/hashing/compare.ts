/** Constant-time comparison that also tolerates length mismatches. */
import { timingSafeEqual } from 'node:crypto';

/**
 * True when `a` and `b` hold the same bytes. Runs in time that depends only on the
 * lengths, never on where the first difference is (timingSafeEqual needs equal lengths,
 * so a length mismatch compares `a` with itself and then answers false).
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) {
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}
