/**
 * Key ranges for partitioned exports: parallel bulk workers each page through one range
 * `(from, to]` of the export key with the user's own `exportPage` query. Boundaries are
 * either computed (integer keys: equal ranges between min and max) or read from the
 * database (`queries.keyAt`: the key at a row offset), never guessed for text keys.
 */
import { ConfigError, type JsonValue } from '@ferry/core';

/** A scalar export key as it travels in checkpoints and partitions. */
export type Key = string | number;

/** One partition: keys after `from` (exclusive, null = `export.start`) up to `to` (inclusive, null = no end). */
export interface KeyRange {
  from: Key | null;
  to: Key | null;
}

/**
 * How keys compare outside the database. `integer` keys compare as numbers (bigint-safe);
 * `text` keys compare by UTF-16 code units, so they must sort that way in the database
 * too (UUIDs, hex, ASCII ids, `COLLATE "C"` / `_bin`) — checked on every page.
 */
export type KeyKind = 'integer' | 'text';

const INTEGER = /^-?[0-9]+$/;

function bigOf(value: unknown, what: string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && INTEGER.test(value)) return BigInt(value);
  throw new ConfigError('key_not_integer', `${what} is not an integer, but export.start is a number (integer keys).`, {
    hint: 'For text keys set export.start to "" and add queries.keyAt; for integer keys select an integer key column.',
    details: { key: what },
  });
}

/** A key as small JSON: safe integers as numbers, bigger ones (and text) as strings. */
export function keyValue(value: unknown): Key {
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  return String(value as JsonValue);
}

/** `a` compared with `b` (negative, 0, positive) for keys of `kind`. */
export function compareKeys(kind: KeyKind, a: unknown, b: unknown): number {
  if (kind === 'text') {
    const x = String(a);
    const y = String(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = bigOf(a, 'an export key');
  const y = bigOf(b, 'an export key');
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The partition the core passed back, checked (it is opaque to the core, so it may be stale or foreign). */
export function parsePartition(value: JsonValue): KeyRange {
  const ok = (k: JsonValue | undefined): k is Key | null => k === null || typeof k === 'string' || typeof k === 'number';
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && ok(value.from) && ok(value.to)) return { from: value.from, to: value.to };
  throw new ConfigError('partition_invalid', 'The export partition is not one the sql connector planned ({from, to} key range).', {
    hint: 'Plan the run again (the partitions stored with it come from another connector or version).',
  });
}

/** The columns `queries.keyBounds` must return. */
export const KEY_BOUNDS_COLUMNS = ['low', 'high', 'total'] as const;

/** The bounds `queries.keyBounds` returned. */
export interface KeyBounds {
  low: unknown;
  high: unknown;
  total: number;
}

/** Ranges from sorted, distinct inclusive upper ends of all but the last partition. */
function rangesFrom(ends: Key[]): KeyRange[] {
  const ranges: KeyRange[] = [];
  let from: Key | null = null;
  for (const end of ends) {
    ranges.push({ from, to: end });
    from = end;
  }
  ranges.push({ from, to: null });
  return ranges;
}

/** How many partitions to plan: at most `count`, never more than rows. */
export function partitionCount(count: number, total: number): number {
  return Math.max(1, Math.min(Math.floor(count), total));
}

/**
 * `n` equal integer ranges over [low, high] (fewer when the span is smaller). The first
 * starts at export.start and the last is open, so rows outside the bounds at planning
 * time are still exported by someone.
 */
export function integerRanges(bounds: KeyBounds, n: number): KeyRange[] {
  if (bounds.total === 0 || bounds.low === null || bounds.high === null) return rangesFrom([]);
  const low = bigOf(bounds.low, 'queries.keyBounds low');
  const high = bigOf(bounds.high, 'queries.keyBounds high');
  const span = high - low + 1n;
  const parts = span < BigInt(n) ? Number(span) : n;
  const ends: Key[] = [];
  for (let i = 1; i < parts; i++) ends.push(keyValue(low - 1n + (span * BigInt(i)) / BigInt(parts)));
  return rangesFrom(ends);
}

/**
 * Ranges whose ends are real keys read at row offsets (`keyAt(offset)`), so partitions
 * hold equal row counts whatever the key looks like. A missing key (rows deleted since
 * counting) just ends the plan early; ends must increase in `kind` order.
 */
export async function quantileRanges(total: number, n: number, kind: KeyKind, keyAt: (offset: number) => Promise<unknown>): Promise<KeyRange[]> {
  const ends: Key[] = [];
  for (let i = 1; i < n; i++) {
    const found = await keyAt(Math.floor((total * i) / n) - 1);
    if (found === undefined || found === null) break;
    const end = keyValue(found);
    const previous = ends[ends.length - 1];
    if (previous !== undefined && compareKeys(kind, end, previous) <= 0) {
      throw keyOrderError('queries.keyAt');
    }
    ends.push(end);
  }
  return rangesFrom(ends);
}

/** The error for keys the database sorts differently from Ferry's comparison. */
export function keyOrderError(key: string): ConfigError {
  return new ConfigError('key_order_mismatch', `${key} returns keys out of order for a partitioned export (the database sorts them differently from Ferry's key comparison).`, {
    hint: 'Partitioned exports compare text keys byte-wise: order by a key that sorts that way (UUIDs, hex, ASCII ids, or ORDER BY id COLLATE "C" / a _bin collation), and make export.start a number only for integer keys.',
    details: { key },
  });
}
