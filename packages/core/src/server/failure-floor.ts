/**
 * Makes a failed login take as long as the slowest usual failure, so an unknown user
 * (answered fast by a store miss or a legacy "not found") cannot be told from a wrong
 * password (a full hash verify) by timing. The floor is the larger of the measured
 * cost of one password verify and the 90th percentile of recent failed logins, capped.
 */

/** Learns how long failures take and pads the fast ones. */
export class FailureFloor {
  private readonly recent: number[] = [];
  private next = 0;
  private verifyMs = 0;

  constructor(
    private readonly capMs: number,
    private readonly window = 256,
  ) {}

  /** Record the cost of one real password verify (calibrated at start-up). */
  setVerifyMs(ms: number): void {
    this.verifyMs = ms;
  }

  /** The current floor in ms. */
  floorMs(): number {
    const sorted = [...this.recent].sort((a, b) => a - b);
    const p90 = sorted.length === 0 ? 0 : (sorted[Math.floor(0.9 * (sorted.length - 1))] ?? 0);
    return Math.min(this.capMs, Math.max(this.verifyMs, p90));
  }

  /** Record a failure that took `elapsedMs` unpadded, then wait until the floor has passed. */
  async pad(elapsedMs: number): Promise<void> {
    const floor = this.floorMs();
    if (this.recent.length < this.window) this.recent.push(elapsedMs);
    else this.recent[this.next] = elapsedMs;
    this.next = (this.next + 1) % this.window;
    const wait = floor - elapsedMs;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
}
