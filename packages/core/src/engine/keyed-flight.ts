/**
 * Serialise work per key inside one process: concurrent first logins of one user wait
 * for the first to finish, then find the migrated user in the store instead of calling
 * legacy again. Across processes the store's unique constraints do the same job.
 */
export class KeyedFlight {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Run `task` after every earlier task of the same key has settled. */
  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(task, task);
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await current;
    } finally {
      // Only the last waiter clears the slot, so the map never grows with idle keys.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys with work queued or running. */
  get size(): number {
    return this.tails.size;
  }
}
