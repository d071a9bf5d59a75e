/**
 * A counting semaphore whose waiters can give up through an AbortSignal: how the
 * uploader keeps at most N import jobs in flight.
 */

interface Waiter {
  resolve: () => void;
}

/** `size` slots, handed out in arrival order. */
export class Slots {
  private free: number;
  private readonly waiters: Waiter[] = [];

  constructor(size: number) {
    this.free = size;
  }

  /** Take a slot, waiting for one; rejects with `signal.reason` if it aborts first. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    if (this.free > 0 && this.waiters.length === 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const at = this.waiters.indexOf(waiter);
        if (at >= 0) this.waiters.splice(at, 1);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Give a slot back. */
  release(): void {
    const next = this.waiters.shift();
    if (next !== undefined) next.resolve();
    else this.free++;
  }
}
