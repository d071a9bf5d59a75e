import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const USERS = '12000';

interface ChildEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run the child; SIGKILL it a little after its `killAfterBatches`-th committed batch unless it ends first. */
function runChild(dir: string, kind: string, killAfterBatches?: number, thread = false): Promise<ChildEnd> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', join(__dirname, '../support/ts-register.js'), join(__dirname, '../support/bulk-child.ts'), dir, kind, USERS, thread ? 'thread' : 'same-thread']);
    let stdout = '';
    let stderr = '';
    let batches = 0;
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      batches = stdout.split('batch\n').length - 1;
      // A random few milliseconds later: inside the next batch's work, its commit, or a file write.
      if (killAfterBatches !== undefined && batches >= killAfterBatches && timer === undefined) timer = setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 15));
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout: stdout.replace(/batch\n/g, '').replace(/^done /, ''), stderr });
    });
  });
}

function filesOf(dir: string): Record<string, string> {
  const out = join(dir, 'out');
  return Object.fromEntries(
    readdirSync(out)
      .filter((n) => n.startsWith('users-'))
      .sort()
      .map((n) => [n, readFileSync(join(out, n), 'utf8')]),
  );
}

function storeOf(dir: string): { users: unknown[]; credentials: unknown[] } {
  const db = new Database(join(dir, 'ferry.db'), { readonly: true });
  try {
    return {
      users: db.prepare('SELECT user_id, email_lower, profile, origin FROM users ORDER BY user_id').all(),
      credentials: db.prepare('SELECT user_id, hash, scheme, source FROM credentials ORDER BY user_id').all(),
    };
  } finally {
    db.close();
  }
}

/** Batches committed so far by the run in `dir` (0 when it has no state yet). */
function committedBatches(dir: string, kind: string): number {
  const path = kind === 'files' ? join(dir, 'out', '.ferry-run.db') : join(dir, 'ferry.db');
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch {
    return 0;
  }
  try {
    const row = (kind === 'files'
      ? db.prepare('SELECT state FROM run WHERE id = 1').get()
      : db.prepare("SELECT value AS state FROM settings WHERE key = 'bulk:legacy'").get()) as { state: string } | undefined;
    return row === undefined ? 0 : (JSON.parse(row.state) as { counts: { batches: number } }).counts.batches;
  } catch {
    return 0;
  } finally {
    db.close();
  }
}

describe.each([
  ['files', false],
  ['store', false],
  ['files', true],
  ['store', true],
])('a bulk run into %s (reading thread: %s) killed with SIGKILL at random moments', (kind, thread) => {
  jest.setTimeout(240000);
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'ferry-bulk-kill-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('resumes every time and ends with exactly the users of an uninterrupted run', async () => {
    const reference = join(root, `${kind}-${thread ? "thread" : "same"}-ref`);
    // The reference is always the single-thread run: the reading thread must not change the outcome.
    const ref = await runChild(reference, kind);
    expect(ref.stderr).toBe('');
    expect(ref.code).toBe(0);

    const dir = join(root, `${kind}-${thread ? 'thread' : 'same'}-killed`);
    let kills = 0;
    const progressAtKills: number[] = [];
    let end: ChildEnd | undefined;
    for (let attempt = 0; attempt < 40; attempt += 1) {
      // The first five attempts are killed at random points; then one runs to the end.
      const killAfter = attempt < 5 ? 1 + Math.floor(Math.random() * 20) : undefined;
      end = await runChild(dir, kind, killAfter, thread);
      if (end.signal === 'SIGKILL') {
        kills += 1;
        progressAtKills.push(committedBatches(dir, kind));
        continue;
      }
      break;
    }
    expect(end?.stderr).toBe('');
    expect(end?.code).toBe(0);
    expect(kills).toBeGreaterThanOrEqual(4);
    // At least two kills landed in the middle of the run, not before or after it.
    const total = JSON.parse(ref.stdout) as { batches: number };
    expect(progressAtKills.filter((b) => b > 0 && b < total.batches).length).toBeGreaterThanOrEqual(3);
    expect(JSON.parse(end?.stdout ?? '{}')).toEqual(JSON.parse(ref.stdout));
    if (kind === 'files') expect(filesOf(dir)).toEqual(filesOf(reference));
    else expect(storeOf(dir)).toEqual(storeOf(reference));
    expect(readFileSync(join(dir, 'report.ndjson'), 'utf8')).toBe(readFileSync(join(reference, 'report.ndjson'), 'utf8'));
  });
});
