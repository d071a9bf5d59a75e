import { TokenBucket } from '../../src/http/token-bucket';
import { systemClock } from '../../src/http/clock';
import { ConfigError } from '../../src/errors';
import { InstantClock } from './helpers';

describe('TokenBucket', () => {
  it('lets a burst through at once, then one request per 1/rate seconds', async () => {
    const clock = new InstantClock();
    const start = clock.now();
    const bucket = new TokenBucket({ ratePerSecond: 4, burst: 3, clock });
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      await bucket.acquire();
      times.push(clock.now() - start);
    }
    expect(times).toEqual([0, 0, 0, 250, 500, 750, 1000]);
  });

  it('refills over idle time, but never beyond the burst size', async () => {
    const clock = new InstantClock();
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 2, clock });
    await bucket.acquire();
    await bucket.acquire();
    clock.time += 60_000; // a long idle minute still only buys `burst` tokens
    const start = clock.now();
    for (let i = 0; i < 3; i++) await bucket.acquire();
    expect(clock.now() - start).toBe(100);
  });

  it('serves concurrent waiters in arrival order and makes newcomers queue behind them', async () => {
    const clock = new InstantClock();
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 1, clock });
    const order: string[] = [];
    const waiters = ['a', 'b', 'c', 'd'].map((name) => bucket.acquire().then(() => order.push(name)));
    expect(bucket.pending).toBe(3);
    // The instant clock has already advanced to the next token's due time, so a token is
    // available right now: the late arrival must still queue behind the waiters.
    const late = bucket.acquire().then(() => order.push('late'));
    await Promise.all([...waiters, late]);
    expect(order).toEqual(['a', 'b', 'c', 'd', 'late']);
    // One pump sleeping until each token is due: exactly one sleep per queued waiter.
    expect(clock.sleeps).toEqual([100, 100, 100, 100]);
  });

  it('removes an aborted waiter from the line without disturbing the others', async () => {
    const bucket = new TokenBucket({ ratePerSecond: 50, burst: 1, clock: systemClock });
    await bucket.acquire();
    const controller = new AbortController();
    const order: string[] = [];
    const first = bucket.acquire(controller.signal).then(
      () => order.push('aborted-one-ran'),
      (err: unknown) => order.push(`rejected:${(err as Error).message}`),
    );
    const second = bucket.acquire().then(() => order.push('second'));
    controller.abort(new Error('cancelled'));
    await Promise.all([first, second]);
    expect(order).toEqual(['rejected:cancelled', 'second']);
    expect(bucket.pending).toBe(0);
  });

  it('holds a real rate without busy-waiting', async () => {
    const bucket = new TokenBucket({ ratePerSecond: 50, burst: 2 });
    const started = Date.now();
    const before = performance.eventLoopUtilization();
    await Promise.all(Array.from({ length: 12 }, () => bucket.acquire()));
    const elapsed = Date.now() - started;
    const loop = performance.eventLoopUtilization(before);
    // 10 tokens beyond the burst at 50/s take ~200 ms.
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(1000);
    // A polling loop would keep this thread's event loop busy for roughly the whole wait.
    // (The event loop's own utilisation, not process CPU: a jest worker's GC threads and
    // leftovers of earlier suites in the same process count in the latter.)
    expect(loop.utilization).toBeLessThan(0.5);
  });

  it('rejects nonsensical configuration', () => {
    expect(() => new TokenBucket({ ratePerSecond: 0 })).toThrow(ConfigError);
    expect(() => new TokenBucket({ ratePerSecond: 5, burst: 0 })).toThrow(ConfigError);
  });
});
