/**
 * The hash queue of `ferry serve`: at most `size` hashes at once, the rest in arrival
 * order, a slot freed however a hash ends.
 */
import type { PasswordHashing } from '../../src/contracts/password-hashing';
import { defaultHashConcurrency, limitHashing, Slots } from '../../src/server/hash-slots';
import { resolveServeConfig } from '../../src/server/serve-config';

/** A task the test finishes by hand, recording when it started. */
function gated(started: number[], id: number) {
  let finish!: (v: number) => void;
  let fail!: (e: Error) => void;
  const done = new Promise<number>((res, rej) => {
    finish = res;
    fail = rej;
  });
  return {
    task: () => {
      started.push(id);
      return done;
    },
    finish: () => finish(id),
    fail: () => fail(new Error(`task ${id} failed`)),
  };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('Slots', () => {
  it('runs at most `size` tasks and starts the waiting ones in arrival order', async () => {
    const slots = new Slots(2);
    const started: number[] = [];
    const tasks = [1, 2, 3, 4, 5].map((id) => gated(started, id));
    const results = tasks.map((t) => slots.run(t.task));
    await tick();
    expect(started).toEqual([1, 2]);
    expect([slots.active, slots.queued]).toEqual([2, 3]);
    tasks[1]!.finish();
    await tick();
    expect(started).toEqual([1, 2, 3]);
    tasks[0]!.finish();
    await tick();
    expect(started).toEqual([1, 2, 3, 4]);
    for (const t of tasks) t.finish();
    await expect(Promise.all(results)).resolves.toEqual([1, 2, 3, 4, 5]);
    expect([slots.active, slots.queued]).toEqual([0, 0]);
  });

  it('frees the slot of a task that fails, and passes the failure on', async () => {
    const slots = new Slots(1);
    const started: number[] = [];
    const a = gated(started, 1);
    const b = gated(started, 2);
    const ra = slots.run(a.task);
    const rb = slots.run(b.task);
    a.fail();
    await expect(ra).rejects.toThrow('task 1 failed');
    await tick();
    expect(started).toEqual([1, 2]);
    b.finish();
    await expect(rb).resolves.toBe(2);
    expect(slots.active).toBe(0);
  });

  it('refuses a size below one', () => {
    expect(() => new Slots(0)).toThrow(RangeError);
    expect(() => new Slots(1.5)).toThrow(RangeError);
  });
});

describe('defaultHashConcurrency', () => {
  it('is one per core, leaving one thread of the libuv pool free', () => {
    expect(defaultHashConcurrency(2, 4)).toBe(2);
    expect(defaultHashConcurrency(8, 4)).toBe(3);
    expect(defaultHashConcurrency(8, 16)).toBe(8);
    expect(defaultHashConcurrency(1, 1)).toBe(1);
    expect(defaultHashConcurrency(2, Number.NaN)).toBe(2);
  });
});

describe('serve.hashConcurrency', () => {
  const auth = { apiKeys: [{ name: 'k', key: 'k'.repeat(24) }] };

  it('is left to the default unless set, and must be a whole number ≥ 1', () => {
    expect(resolveServeConfig({ auth }).hashConcurrency).toBeUndefined();
    expect(resolveServeConfig({ auth, hashConcurrency: 3 }).hashConcurrency).toBe(3);
    expect(() => resolveServeConfig({ auth, hashConcurrency: 0 })).toThrow(/hashConcurrency/);
    expect(() => resolveServeConfig({ auth, hashConcurrency: 1.5 })).toThrow(/hashConcurrency/);
  });
});

describe('limitHashing', () => {
  it('queues hash and verify through the slots and passes the synchronous calls through', async () => {
    let running = 0;
    let most = 0;
    const slow = async <T>(value: T): Promise<T> => {
      most = Math.max(most, ++running);
      await tick();
      running--;
      return value;
    };
    const inner: PasswordHashing = {
      hash: (p) => slow(`hashed:${p}`),
      verify: (stored, p) => slow({ match: stored === `hashed:${p}`, scheme: 'test' }),
      needsRehash: (stored) => stored === 'old',
      schemeOf: () => 'test',
    };
    const hashing = limitHashing(inner, new Slots(2));
    const out = await Promise.all([hashing.hash('a'), hashing.verify('hashed:b', 'b'), hashing.verify('hashed:c', 'x'), hashing.hash('d')]);
    expect(out).toEqual(['hashed:a', { match: true, scheme: 'test' }, { match: false, scheme: 'test' }, 'hashed:d']);
    expect(most).toBe(2);
    expect(hashing.needsRehash('old')).toBe(true);
    expect(hashing.schemeOf('x')).toBe('test');
  });
});
