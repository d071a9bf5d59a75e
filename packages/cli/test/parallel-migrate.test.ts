/**
 * `ferry migrate --remaining --workers N` on the built binary with a SQLite store: the
 * same result as one worker, a killed worker's partition taken over on --resume, and
 * connectors that cannot split named.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteUserStore } from '@ferry/core';
import { legacyConnectorConfig, writeLegacyDatabase } from '@ferry/testkit';
import { stringify } from 'yaml';
import { FERRY_BIN, ferry } from './run-cli';

const COUNT = 3000;
let dir: string;

interface Summary {
  status: string;
  counts: { read: number; written: number; skipped: number; rejected: number };
  partitions?: { total: number; done: number };
  report: string;
}

function writeConfig(name: string, store: string, connectorConfig = legacyConnectorConfig('sqlite:./legacy.db', { pageSize: 100 })): string {
  writeFileSync(join(dir, name), stringify({ store, connector: { id: 'sql', config: connectorConfig } }));
  return name;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ferry-parallel-cli-'));
  await writeLegacyDatabase(`sqlite:${join(dir, 'legacy.db')}`, { count: COUNT, seed: 'parallel-cli', defectRate: 0.02, duplicateRate: 0.01, formats: { 'salted-sha256': 1, 'django-pbkdf2': 1 } });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const usersIn = async (config: string): Promise<number> => {
  const s = await ferry(['status', '--json', '--config', config], { cwd: dir });
  return (s.json() as { stats: { total: number } }).stats.total;
};

describe('ferry migrate --remaining --workers', () => {
  let reference: Summary;

  it('gives the same tally as one worker, with every partition done', async () => {
    const one = await ferry(['migrate', '--remaining', '--json', '--config', writeConfig('one.yaml', 'sqlite:./one.db')], { cwd: dir });
    expect(one.code).toBe(0);
    reference = one.json() as Summary;

    const r = await ferry(['migrate', '--remaining', '--workers', '3', '--partitions', '7', '--batch-size', '100', '--json', '--config', writeConfig('par.yaml', 'sqlite:./par.db')], { cwd: dir, timeoutMs: 120_000 });
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(0);
    const s = r.json() as Summary;
    expect(s.status).toBe('complete');
    expect(s.partitions).toEqual({ total: 7, done: 7 });
    expect(s.counts).toEqual({ ...reference.counts, batches: expect.any(Number) as number });
    expect(await usersIn('par.yaml')).toBe(s.counts.written);
    expect(readdirSync(s.report).length).toBeGreaterThanOrEqual(7);

    const again = await ferry(['migrate', '--remaining', '--workers', '2', '--resume', '--json', '--config', 'par.yaml'], { cwd: dir });
    expect(again.code).toBe(0);
    expect((again.json() as Summary).counts).toEqual(s.counts);
  }, 180_000);

  it('finishes a run whose worker was killed: --resume takes its partition over after the lease', async () => {
    const config = writeConfig('kill.yaml', 'sqlite:./kill.db');
    const child = spawn(process.execPath, [FERRY_BIN, 'migrate', '--remaining', '--partitions', '4', '--batch-size', '10', '--lease-seconds', '60', '--config', config], { cwd: dir, stdio: 'ignore' });
    const exited = new Promise((r) => child.on('exit', r));
    // Kill it without warning once some batches are committed and the run is far from done.
    const store = new SqliteUserStore(join(dir, 'kill.db'));
    try {
      await store.migrate();
      for (let committed = 0; committed < 5; ) {
        if (child.exitCode !== null) throw new Error('the worker ended before it was killed');
        await new Promise((r) => setTimeout(r, 5));
        committed = 0;
        for (let i = 0; i < 4; i++) committed += ((await store.getSetting(`bulk:default:partition:${i}`).catch(() => undefined)) as { counts?: { batches: number } } | undefined)?.counts?.batches ?? 0;
      }
      child.kill('SIGKILL');
      await exited;
    } finally {
      await store.close();
    }

    const r = await ferry(['migrate', '--remaining', '--resume', '--workers', '2', '--lease-seconds', '1', '--json', '--config', config], { cwd: dir, timeoutMs: 120_000 });
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(0);
    const s = r.json() as Summary;
    expect(s.status).toBe('complete');
    expect(r.stderr).toMatch(/worker \d: took over partition \d: its worker stopped renewing its lease/);
    expect(s.counts).toEqual({ ...reference.counts, batches: expect.any(Number) as number });
    expect(await usersIn(config)).toBe(s.counts.written);
  }, 180_000);

  it('refuses clearly where partitions cannot be used', async () => {
    const { keyBounds: _none, ...queries } = (legacyConnectorConfig('sqlite:./legacy.db') as { queries: Record<string, string> }).queries;
    const plain = writeConfig('plain.yaml', 'sqlite:./plain.db', { ...legacyConnectorConfig('sqlite:./legacy.db'), queries });
    const r = await ferry(['migrate', '--remaining', '--workers', '2', '--config', plain], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot split its export');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const auth0 = await ferry(['migrate', '--remaining', '--to', 'auth0', '--workers', '2', '--config', plain], { cwd: dir });
    expect(auth0.code).toBe(2);
    expect(auth0.stderr).toContain('--to auth0');
    const dry = await ferry(['migrate', '--remaining', '--workers', '2', '--dry-run', '--config', 'par.yaml'], { cwd: dir });
    expect(dry.code).toBe(2);
    expect(dry.stderr).toContain('--dry-run');
  });
});
