/**
 * Partitioned exports (key ranges for parallel bulk workers), run against every database:
 * the partitions together export exactly what one full export does — no gaps, no
 * overlaps, boundary keys included once, ids with holes — and each resumes on its own.
 */
import type { Connector, ExportOptions, JsonObject, JsonValue } from '@ferry/core';
import { writeLegacyDatabase } from '@ferry/testkit';
import { makeConnector, rawQuery } from './sql-test-kit';

const TABLE = 'partition_users';
const COUNT = 120;
// Holes at the start, in the middle, around likely boundaries and at the end.
const DELETED = [1, 2, 17, ...Array.from({ length: 11 }, (_, k) => 30 + k), 59, 60, 61, 90, 119, 120];
const ROWS = COUNT - DELETED.length;

/** Row keys (user ids, or the row ref of a reject) of an export, in order. */
async function keys(c: Connector, options: ExportOptions = {}): Promise<string[]> {
  const out: string[] = [];
  for await (const page of c.exportUsers!(options)) {
    out.push(...page.records.map((r) => r.user_id), ...(page.rejects ?? []).map((r) => r.ref.row as string));
  }
  return out;
}

async function withConnector<T>(url: string, patch: (c: JsonObject) => void, fn: (c: Connector) => Promise<T>): Promise<T> {
  const c = await makeConnector(url, TABLE, patch);
  try {
    return await fn(c);
  } finally {
    await c.close?.();
  }
}

const byUsername = (c: JsonObject): void => {
  const q = c.queries as JsonObject;
  const columns = /^SELECT (.*) FROM/.exec(q.exportPage as string)?.[1] as string;
  q.exportPage = `SELECT ${columns} FROM ${TABLE} WHERE username > :after ORDER BY username LIMIT :limit`;
  q.keyBounds = `SELECT min(username) AS low, max(username) AS high, count(*) AS total FROM ${TABLE}`;
  q.keyAt = `SELECT username FROM ${TABLE} ORDER BY username LIMIT 1 OFFSET :offset`;
  c.export = { keyColumn: 'username', start: '', pageSize: 7 };
};

const withKeyAt = (c: JsonObject): void => {
  (c.queries as JsonObject).keyAt = `SELECT id FROM ${TABLE} ORDER BY id LIMIT 1 OFFSET :offset`;
};

/** Register the partition cases for the database at `url()`. */
export function runSqlPartitionCases(name: string, url: () => string): void {
  describe(`${name}: partitioned export`, () => {
    beforeAll(async () => {
      await writeLegacyDatabase(url(), { count: COUNT, seed: 'partitions', defectRate: 0, duplicateRate: 0, table: TABLE });
      await rawQuery(url(), `DELETE FROM ${TABLE} WHERE id IN (${DELETED.join(', ')})`);
    }, 60_000);

    const cases: Array<[string, (c: JsonObject) => void]> = [
      ['integer key ranges (keyBounds)', () => undefined],
      ['row quantiles (keyAt)', withKeyAt],
      ['text keys (keyAt)', byUsername],
    ];
    it.each(cases)('%s: the partitions together export every row exactly once, in key order', async (_label, patch) => {
      await withConnector(url(), patch, async (c) => {
        const full = await keys(c);
        expect(full).toHaveLength(ROWS);
        for (const count of [1, 2, 3, 4, 7, 9]) {
          const partitions = await c.planPartitions!(count);
          expect(partitions.length).toBeGreaterThanOrEqual(1);
          expect(partitions.length).toBeLessThanOrEqual(count);
          const parts: string[][] = [];
          for (const partition of partitions) parts.push(await keys(c, { partition }));
          expect(parts.flat()).toEqual(full);
          // Consecutive ranges share their boundary: the end of one is the start of the next.
          partitions.slice(1).forEach((p, k) => expect((p as JsonObject).from).toEqual((partitions[k] as JsonObject).to));
          expect((partitions[0] as JsonObject).from).toBeNull();
          expect((partitions[partitions.length - 1] as JsonObject).to).toBeNull();
        }
      });
    });

    it('keyAt splits into partitions of equal row counts (±1), boundary keys included once', async () => {
      await withConnector(url(), withKeyAt, async (c) => {
        const partitions = await c.planPartitions!(4);
        expect(partitions).toHaveLength(4);
        const sizes: number[] = [];
        for (const partition of partitions) {
          const part = await keys(c, { partition });
          sizes.push(part.length);
          const to = (partition as JsonObject).to;
          // keyAt ends are real keys: each partition ends exactly at its own.
          if (to !== null) expect(part[part.length - 1]).toBe(String(to));
        }
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        expect(sizes.reduce((a, b) => a + b, 0)).toBe(ROWS);
      });
    });

    it('a partition resumes from its own checkpoint', async () => {
      await withConnector(url(), () => undefined, async (c) => {
        const partition = (await c.planPartitions!(3))[1] as JsonValue;
        const whole = await keys(c, { partition });
        expect(whole.length).toBeGreaterThan(14);
        const first = await c.exportUsers!({ partition })[Symbol.asyncIterator]().next();
        const page = first.value as { records: Array<{ user_id: string }>; checkpoint: JsonValue };
        expect(page.checkpoint).not.toBeNull();
        const rest = await keys(c, { partition, checkpoint: page.checkpoint });
        expect([...page.records.map((r) => r.user_id), ...rest]).toEqual(whole);
        // A checkpoint before the partition's start (e.g. from an unpartitioned run) never reaches into the previous partition.
        expect(await keys(c, { partition, checkpoint: 0 })).toEqual(whole);
      });
    });

    it('asking for more partitions than rows gives fewer, still covering every row', async () => {
      for (const patch of [() => undefined, withKeyAt]) {
        await withConnector(url(), patch, async (c) => {
          const partitions = await c.planPartitions!(ROWS + 50);
          expect(partitions.length).toBeLessThanOrEqual(ROWS);
          const all: string[] = [];
          for (const partition of partitions) all.push(...(await keys(c, { partition })));
          expect(all).toEqual(await keys(c));
        });
      }
    });
  });
}
