/**
 * The bulk commands end to end on the built binary: export, migrate --remaining, verify,
 * import --to store, and the Auth0 target against the fake Management API.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeAuth0, legacyConnectorConfig, legacyUserAt, startFakeAuth0, writeLegacyDatabase } from '@ferry/testkit';
import { stringify } from 'yaml';
import { ferry } from './run-cli';

const SEED = 'bulk-cli';
const COUNT = 1500;
let dir: string;

interface Summary {
  status: string;
  counts: { read: number; written: number; skipped: number; rejected: number; warnings: number };
  report: string;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ferry-bulk-cli-'));
  await writeLegacyDatabase(`sqlite:${join(dir, 'legacy.db')}`, { count: COUNT, seed: SEED, defectRate: 0.02, duplicateRate: 0.01 });
  writeFileSync(join(dir, 'ferry.yaml'), stringify({ store: 'sqlite:./ferry.db', connector: { id: 'sql', config: legacyConnectorConfig('sqlite:./legacy.db') } }));
}, 120000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const balanced = (s: Summary) => expect(s.counts.read).toBe(s.counts.written + s.counts.skipped + s.counts.rejected);

describe('ferry export', () => {
  it('writes Auth0 files of at most 512000 bytes, refuses to mix runs, and starts over with --restart', async () => {
    const r = await ferry(['export', '--out', 'export', '--json'], { cwd: dir });
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(0);
    const s = r.json() as Summary;
    expect(s.status).toBe('complete');
    balanced(s);
    expect(s.counts.read).toBe(COUNT);
    const files = readdirSync(join(dir, 'export')).filter((n) => n.endsWith('.json'));
    let users = 0;
    for (const f of files) {
      expect(statSync(join(dir, 'export', f)).size).toBeLessThanOrEqual(512000);
      users += (JSON.parse(readFileSync(join(dir, 'export', f), 'utf8')) as unknown[]).length;
    }
    expect(users).toBe(s.counts.written);
    expect(readFileSync(s.report, 'utf8')).toContain('"code":"duplicate_email"');

    const again = await ferry(['export', '--out', 'export'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('--restart');
    expect(again.stderr).not.toMatch(/\n\s+at /);
    const restarted = await ferry(['export', '--out', 'export', '--restart', '--json'], { cwd: dir });
    expect((restarted.json() as Summary).counts).toEqual(s.counts);

    const dry = await ferry(['export', '--out', 'dry', '--dry-run', '--json'], { cwd: dir });
    expect((dry.json() as Summary).counts.written).toBe(s.counts.written);
    expect(() => readdirSync(join(dir, 'dry'))).toThrow();
  });

  it('--no-source-thread (everything in one thread) writes the same files and report as the default reading thread', async () => {
    const one = await ferry(['export', '--out', 'export-one-thread', '--no-source-thread', '--json'], { cwd: dir });
    expect(one.code).toBe(0);
    const contents = (out: string) => readdirSync(join(dir, out)).filter((n) => n.startsWith('users-') || n === 'report.ndjson').sort().map((n) => [n, readFileSync(join(dir, out, n), 'utf8')]);
    expect(contents('export-one-thread')).toEqual(contents('export'));
    expect((one.json() as Summary).counts.read).toBe(COUNT);
  });
});

describe('ferry migrate --remaining, verify, import', () => {
  it('verify says incomplete, migrate moves the rest (keeping a trickle login), verify says complete', async () => {
    const u = await legacyUserAt({ count: COUNT, seed: SEED, defectRate: 0.02, duplicateRate: 0.01 }, 3);
    const login = await ferry(['login', u.email as string, '--password-stdin'], { cwd: dir, stdin: `${u.password}\n` });
    expect(login.code).toBe(0);
    const before = await ferry(['verify', '--json'], { cwd: dir });
    expect(before.code).toBe(1);
    expect((before.json() as { present: number }).present).toBe(1);

    // A dry run first: nothing written, the same counts as the real run, its own report, its scratch space gone.
    const dry = await ferry(['migrate', '--remaining', '--dry-run', '--json'], { cwd: dir });
    expect(dry.code).toBe(0);
    expect((dry.json() as Summary).report).toBe(join(dir, '.ferry', 'migrate-report.dry-run.ndjson'));
    expect(readdirSync(join(dir, '.ferry')).filter((n) => n.startsWith('ferry-dry-run-'))).toEqual([]);

    const m = await ferry(['migrate', '--remaining', '--json'], { cwd: dir });
    expect(m.code).toBe(0);
    const s = m.json() as Summary;
    balanced(s);
    expect(s.counts.skipped).toBe(1);
    expect((dry.json() as Summary).counts).toEqual(s.counts);
    expect(s.report).toBe(join(dir, '.ferry', 'migrate-report.ndjson'));

    const after = await ferry(['verify'], { cwd: dir });
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('complete: every migratable legacy user is in the store.');
    const status = await ferry(['status', '--json'], { cwd: dir });
    expect((status.json() as { stats: { total: number } }).stats.total).toBe(s.counts.written + 1);

    // Bulk-imported users log in with their legacy password, verified by Ferry.
    const v = await legacyUserAt({ count: COUNT, seed: SEED, defectRate: 0.02, duplicateRate: 0.01 }, 10);
    if (v.email && !v.disabled && v.defect === undefined) {
      const l = await ferry(['login', v.email, '--password-stdin', '--json'], { cwd: dir, stdin: `${v.password}\n` });
      expect(l.json()).toEqual(expect.objectContaining({ ok: true, source: 'store' }));
    }
  });

  it('imports exported files into another store', async () => {
    const other = join(dir, 'other');
    rmSync(other, { recursive: true, force: true });
    mkdirSync(other);
    writeFileSync(join(other, 'ferry.yaml'), stringify({ store: 'sqlite:./ferry.db', connector: { id: 'sql', config: legacyConnectorConfig('sqlite:../legacy.db') } }));
    const files = readdirSync(join(dir, 'export')).filter((n) => n.endsWith('.json')).sort().map((n) => join(dir, 'export', n));
    const r = await ferry(['import', ...files, '--to', 'store', '--json'], { cwd: other });
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const s = r.json() as Summary;
    balanced(s);
    expect(s.counts.rejected).toBe(0);
    const otherFiles = await ferry(['import', files[0] as string, '--to', 'store', '--resume'], { cwd: other });
    expect(otherFiles.code).toBe(2);
    expect(otherFiles.stderr).toContain('the same files in the same order');
  });
});

describe('the Auth0 target', () => {
  /** A working directory whose ferry.yaml migrates the shared legacy database into `auth0`'s connection (secret from AUTH0_CLIENT_SECRET). */
  const auth0WorkDir = (name: string, auth0: FakeAuth0): string => {
    const work = join(dir, name);
    mkdirSync(work, { recursive: true });
    writeFileSync(
      join(work, 'ferry.yaml'),
      stringify({
        store: 'sqlite:./ferry.db',
        connector: { id: 'sql', config: legacyConnectorConfig('sqlite:../legacy.db') },
        target: { auth0: { domain: auth0.domain, clientId: auth0.clientId, clientSecret: '${AUTH0_CLIENT_SECRET}', connectionId: auth0.connectionId, baseUrl: auth0.url, tier: 'free' } },
      }),
    );
    return work;
  };

  it('migrate --remaining --to auth0 sends the users not in the store as import jobs', async () => {
    const auth0 = await startFakeAuth0({ rateLimit: 'free', jobTiming: { pendingMs: 20, processingMs: 50 } });
    const work = auth0WorkDir('a0', auth0);
    try {
      const r = await ferry(['migrate', '--remaining', '--to', 'auth0', '--json'], { cwd: work, env: { AUTH0_CLIENT_SECRET: auth0.clientSecret }, timeoutMs: 120000 });
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.code).toBe(0);
      const s = r.json() as Summary;
      balanced(s);
      expect(s.counts.written).toBe(auth0.users(auth0.connectionId).length);
      expect(auth0.stats.maxConcurrentJobsSeen).toBeLessThanOrEqual(2);
      expect(auth0.stats.rateLimitViolations).toBe(0);
      expect(r.stdout + readFileSync(s.report, 'utf8')).not.toContain(auth0.clientSecret);
    } finally {
      await auth0.close();
    }
  }, 150000);

  it('import --to auth0 --resume with other files is refused instead of going on from the old position', async () => {
    const auth0 = await startFakeAuth0({ rateLimit: 'free', jobTiming: { pendingMs: 20, processingMs: 50 } });
    const work = auth0WorkDir('a0-import', auth0);
    try {
      const env = { AUTH0_CLIENT_SECRET: auth0.clientSecret };
      const files = readdirSync(join(dir, 'export')).filter((n) => n.endsWith('.json')).sort().map((n) => join(dir, 'export', n));
      const first = await ferry(['import', files[0] as string, '--to', 'auth0', '--json'], { cwd: work, env, timeoutMs: 120000 });
      expect(first.code).toBe(0);
      const other = await ferry(['import', ...files, '--to', 'auth0', '--resume'], { cwd: work, env, timeoutMs: 120000 });
      expect(other.code).toBe(2);
      expect(other.stderr).toContain('the same files in the same order');
      expect(other.stderr).toContain('--restart');
      expect(auth0.users(auth0.connectionId)).toHaveLength((first.json() as Summary).counts.written);
    } finally {
      await auth0.close();
    }
  }, 150000);

  it('killed right after Auth0 accepted a file, resumed: the file is sent again and its users are skipped as imported by the lost job', async () => {
    let run: ChildProcess | undefined;
    const externalIds: string[] = [];
    // The process dies while Auth0 creates the job, before its answer can reach the journal.
    const auth0 = await startFakeAuth0({
      rateLimit: 'free',
      jobTiming: { pendingMs: 20, processingMs: 50 },
      failJob: ({ externalId }) => {
        externalIds.push(externalId ?? '');
        if (externalIds.length === 1) run?.kill('SIGKILL');
        return undefined;
      },
    });
    const work = auth0WorkDir('a0-crash', auth0);
    try {
      const env = { AUTH0_CLIENT_SECRET: auth0.clientSecret };
      const killed = await ferry(['migrate', '--remaining', '--to', 'auth0', '--json'], { cwd: work, env, timeoutMs: 120000, onSpawn: (child) => (run = child) });
      expect(killed.code).toBeNull();
      expect(externalIds).toHaveLength(1);

      const r = await ferry(['migrate', '--remaining', '--to', 'auth0', '--resume', '--json'], { cwd: work, env, timeoutMs: 120000 });
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.code).toBe(0);
      const s = r.json() as Summary;
      balanced(s);
      // The same file twice, under one external_id; nobody imported twice, nobody rejected for it.
      expect(externalIds[1]).toBe(externalIds[0]);
      const lines = readFileSync(s.report, 'utf8').split('\n').filter((l) => l.includes('already_imported_by_interrupted_job'));
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(JSON.parse(line)).toMatchObject({ outcome: 'skipped', code: 'auth0_already_imported_by_interrupted_job' });
      expect(readFileSync(s.report, 'utf8')).not.toContain('"code":"auth0_DUPLICATED_USER"');
      // Everyone the lost job imported is counted once, as skipped.
      expect(auth0.users(auth0.connectionId).length).toBe(s.counts.written + lines.length);
    } finally {
      await auth0.close();
    }
  }, 150000);
});
