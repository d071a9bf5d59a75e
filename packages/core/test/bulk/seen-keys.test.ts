import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SeenKeys, hash32 } from '../../src/bulk/seen-keys';

/** Two different strings with the same 32-bit hash (birthday search over generated ids). */
function collidingIds(seed: number): [string, string] {
  const byHash = new Map<number, string>();
  for (let i = 0; ; i += 1) {
    const id = `user-${i}`;
    const h = hash32(id, seed);
    const other = byHash.get(h);
    if (other !== undefined) return [other, id];
    byHash.set(h, id);
  }
}

describe('SeenKeys (bounded-memory de-duplication of a files run)', () => {
  let dir: string;
  let db: Database.Database;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-seen-'));
    db = new Database(join(dir, 'run.db'));
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Add users the way the files sink does, one committed transaction per batch. */
  function commitBatch(seen: SeenKeys, users: Array<[string, string]>): void {
    db.transaction(() => {
      for (const [id, email] of users) seen.add(id, email);
      seen.flush();
    }).immediate();
    seen.committed();
  }

  it.each([
    ['in memory', 1000],
    ['past the in-memory table (overflow tables)', 5],
  ])('finds ids and emails of earlier batches and of its own batch, %s', (_label, capacity) => {
    const seen = new SeenKeys(db, capacity);
    commitBatch(seen, [
      ['u1', 'a@example.com'],
      ['u2', 'b@example.com'],
      ['u3', 'c@example.com'],
      ['u4', 'd@example.com'],
    ]);
    db.transaction(() => {
      seen.add('u5', 'e@example.com');
      expect(seen.hasUserId('u5')).toBe(true);
      expect(seen.emailOwner('e@example.com')).toBe('u5');
      seen.flush();
    }).immediate();
    seen.committed();
    for (const [id, email] of [['u1', 'a@example.com'], ['u4', 'd@example.com'], ['u5', 'e@example.com']] as const) {
      expect(seen.hasUserId(id)).toBe(true);
      expect(seen.emailOwner(email)).toBe(id);
    }
    expect(seen.hasUserId('u6')).toBe(false);
    expect(seen.emailOwner('f@example.com')).toBeUndefined();
    // An email equal to some user_id is not that user_id, and the other way round.
    expect(seen.hasUserId('a@example.com')).toBe(false);
    expect(seen.emailOwner('u1')).toBeUndefined();
  });

  it.each([1000, 3])('rebuilds from the committed log after a restart (capacity %i)', (capacity) => {
    const first = new SeenKeys(db, capacity);
    commitBatch(first, [['u1', 'a@example.com'], ['u2', 'b@example.com']]);
    commitBatch(first, [['u3', 'c@example.com']]);
    const resumed = new SeenKeys(db, capacity);
    resumed.load();
    for (const [id, email] of [['u1', 'a@example.com'], ['u2', 'b@example.com'], ['u3', 'c@example.com']] as const) {
      expect(resumed.hasUserId(id)).toBe(true);
      expect(resumed.emailOwner(email)).toBe(id);
    }
    // Keys added after the rebuild get fresh sequence numbers and are found too.
    commitBatch(resumed, [['u4', 'd@example.com']]);
    expect(resumed.emailOwner('d@example.com')).toBe('u4');
    expect(resumed.emailOwner('a@example.com')).toBe('u1');
  });

  it('forgets the keys of a batch whose transaction was rolled back', () => {
    const seen = new SeenKeys(db, 1000);
    commitBatch(seen, [['u1', 'a@example.com']]);
    expect(() =>
      db.transaction(() => {
        seen.add('u2', 'b@example.com');
        seen.flush();
        throw new Error('disk full');
      }).immediate(),
    ).toThrow('disk full');
    seen.rollback();
    expect(seen.hasUserId('u2')).toBe(false);
    expect(seen.emailOwner('b@example.com')).toBeUndefined();
    commitBatch(seen, [['u3', 'c@example.com']]);
    const resumed = new SeenKeys(db, 1000);
    resumed.load();
    expect(resumed.hasUserId('u2')).toBe(false);
    expect(resumed.emailOwner('c@example.com')).toBe('u3');
  });

  it('tells apart two different ids with the same hash (a collision never rejects anyone)', () => {
    const [a, b] = collidingIds(0x9e3779b1);
    expect(hash32(a, 0x9e3779b1)).toBe(hash32(b, 0x9e3779b1));
    const seen = new SeenKeys(db, 1000);
    commitBatch(seen, [[a, 'a@example.com']]);
    expect(seen.hasUserId(b)).toBe(false);
    commitBatch(seen, [[b, 'b@example.com']]);
    expect(seen.hasUserId(a)).toBe(true);
    expect(seen.hasUserId(b)).toBe(true);
  });
});
