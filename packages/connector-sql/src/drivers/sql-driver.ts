/**
 * The little the connector needs from a database: run a compiled query with bound
 * values, and close. One implementation per driver; the connector is written once.
 */
import type { CompiledQuery, PlaceholderStyle } from '../named-query';

/** A result row, keyed by column name. */
export type SqlRow = Record<string, unknown>;

/** Rows as arrays of values in `columns` order: no per-row object (the export path). */
export interface SqlRows {
  columns: string[];
  rows: unknown[][];
}

/** Values bound to a query's named parameters. */
export type SqlParams = Record<string, string | number | null>;

/** A pooled connection to one legacy database. */
export interface SqlDriver {
  /** `sqlite`, `postgres` or `mysql`. */
  readonly dialect: 'sqlite' | 'postgres' | 'mysql';
  /** How this driver writes placeholders. */
  readonly placeholders: PlaceholderStyle;
  /** Run a SELECT and return its rows. Driver errors are classified as Ferry errors. */
  select(query: CompiledQuery, params: SqlParams): Promise<SqlRow[]>;
  /** Run a SELECT and return its rows as arrays (cheaper for the many rows of an export). */
  selectRows(query: CompiledQuery, params: SqlParams): Promise<SqlRows>;
  /** True when queries run off the event loop, so reading the next page can overlap work on this one. */
  readonly concurrent: boolean;
  /** Run a statement and return the affected row count. */
  run(query: CompiledQuery, params: SqlParams): Promise<number>;
  /** Release the pool. */
  close(): Promise<void>;
}

/** Connection settings shared by every driver. */
export interface DriverOptions {
  url: string;
  /** Connect and query timeout in milliseconds. */
  timeoutMs: number;
  poolSize: number;
  /** Directory relative SQLite paths are resolved against. */
  baseDir: string;
}

/** The values of `params` in the order a compiled query binds them. */
export function bindValues(query: CompiledQuery, params: SqlParams): Array<string | number | null> {
  return query.order.map((name) => params[name] ?? null);
}
