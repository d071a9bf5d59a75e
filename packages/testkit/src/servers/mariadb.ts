/**
 * A throwaway MariaDB server: `mariadb-install-db` into a temp datadir, then `mariadbd`
 * as a child process on a random port and socket — no system service needed.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';
import { freePort, superviseServer, type RunningDatabase } from './running-database';

const run = promisify(execFile);

function findBinary(names: string[]): string {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin'];
  for (const name of names) for (const dir of dirs) if (dir && existsSync(join(dir, name))) return join(dir, name);
  throw new Error(`MariaDB is not installed (looked for ${names.join(', ')}): install it, e.g. 'apt-get install -y mariadb-server'.`);
}

/** Options of {@link startMariaDb}. */
export interface StartMariaDbOptions {
  /** Database created for the caller (default `ferry`). */
  database?: string;
}

/**
 * Start MariaDB and create a database and a password user for it. Throws a clear error
 * when MariaDB is missing or does not start — callers must not skip silently.
 */
export async function startMariaDb(options: StartMariaDbOptions = {}): Promise<RunningDatabase> {
  const installDb = findBinary(['mariadb-install-db', 'mysql_install_db']);
  const server = findBinary(['mariadbd', 'mysqld']);
  const dir = mkdtempSync(join(tmpdir(), 'ferry-mariadb-'));
  const datadir = join(dir, 'data');
  const socketPath = join(dir, 'mariadb.sock');
  const errorLog = join(dir, 'error.log');
  // mariadbd refuses to run as root unless told to; files then belong to root.
  const user = process.getuid?.() === 0 ? ['--user=root'] : [];
  const database = options.database ?? 'ferry';
  const password = `pw${Math.random().toString(36).slice(2)}`;
  try {
    await run(installDb, ['--no-defaults', `--datadir=${datadir}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...user], { timeout: 120_000 });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`mariadb-install-db failed: ${String((err as { stderr?: string }).stderr ?? err)}`);
  }
  const port = await freePort();
  const child = spawn(
    server,
    [
      '--no-defaults',
      `--datadir=${datadir}`,
      `--socket=${socketPath}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--pid-file=${join(dir, 'mariadb.pid')}`,
      `--log-error=${errorLog}`,
      '--skip-log-bin',
      '--innodb-buffer-pool-size=128M',
      '--innodb-flush-log-at-trx-commit=0',
      '--max-allowed-packet=64M',
      ...user,
    ],
    { stdio: 'ignore' },
  );
  const stop = await superviseServer(
    child,
    dir,
    async () => {
      const root = await createConnection({ socketPath, user: 'root' });
      try {
        await root.query(`CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
        await root.query(`CREATE USER IF NOT EXISTS 'ferry'@'%' IDENTIFIED BY '${password}'`);
        await root.query(`GRANT ALL PRIVILEGES ON \`${database}\`.* TO 'ferry'@'%'`);
      } finally {
        await root.end();
      }
    },
    60_000,
    () => `MariaDB did not start: ${existsSync(errorLog) ? readFileSync(errorLog, 'utf8').split('\n').slice(-15).join('\n') : 'no error log'}`,
  );
  return { url: `mysql://ferry:${password}@127.0.0.1:${port}/${database}`, stop };
}
