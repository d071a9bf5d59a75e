import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const KILL_POINTS = [
  'before:insertUser',
  'after:insertUser',
  'after:upsertCredential',
  'after:insertLog',
  'after:commit',
];

describe('a process killed between the legacy answer and the commit', () => {
  it.each(KILL_POINTS)('killed at %s leaves either no user or a complete one', (point) => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-kill-'));
    try {
      const child = spawnSync(process.execPath, ['-r', join(__dirname, '../support/ts-register.js'), join(__dirname, '../support/kill-child.ts'), dir, point], {
        encoding: 'utf8',
        timeout: 60000,
      });
      expect(child.signal).toBe('SIGKILL');
      const db = new Database(join(dir, 'ferry.db'), { readonly: true });
      const users = db.prepare('SELECT profile FROM users').all() as { profile: string }[];
      const creds = db.prepare('SELECT scheme FROM credentials').all();
      const logs = db.prepare("SELECT event FROM migration_log WHERE event = 'migrated'").all();
      db.close();
      if (point === 'after:commit') expect(users).toHaveLength(1);
      if (users.length === 0) {
        expect(creds).toHaveLength(0);
        expect(logs).toHaveLength(0);
      } else {
        expect(users).toHaveLength(1);
        expect(JSON.parse(users[0]!.profile)).toEqual({ user_id: 'k-1', email: 'kill@example.com', app_metadata: { plan: 'gold' } });
        expect(creds).toEqual([{ scheme: 'argon2id' }]);
        expect(logs).toHaveLength(1);
      }
      if (point !== 'after:commit') expect(users).toHaveLength(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
