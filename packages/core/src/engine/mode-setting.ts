/**
 * The migration mode, persisted in the store so every process sharing it follows a
 * `ferry mode` change.
 */
import type { UserStore } from '../store/user-store';
import { MIGRATION_MODES, type MigrationMode } from './engine-types';

const key = (connection: string) => `mode:${connection}`;

/** The stored mode for `connection`, or `fallback` when none was set. */
export async function readMode(store: UserStore, connection: string, fallback: MigrationMode): Promise<MigrationMode> {
  const stored = await store.getSetting(key(connection));
  return typeof stored === 'string' && (MIGRATION_MODES as readonly string[]).includes(stored) ? (stored as MigrationMode) : fallback;
}

/** Store `mode` for `connection` and log the change; returns the previous mode. */
export async function writeMode(store: UserStore, connection: string, mode: MigrationMode, fallback: MigrationMode): Promise<MigrationMode> {
  const previous = await readMode(store, connection, fallback);
  await store.setSetting(key(connection), mode);
  await store.appendLog({ connection, event: 'mode_changed', detail: { from: previous, to: mode } });
  return previous;
}
