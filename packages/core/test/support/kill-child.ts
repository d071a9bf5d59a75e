/**
 * Child process for the kill test: runs one first login through the real engine and
 * SIGKILLs itself at the statement named by argv[3] inside the store transaction.
 */
import { makeHarness } from './engine-harness';

const [dir, killAt] = process.argv.slice(2) as [string, string];

async function main(): Promise<void> {
  const h = await makeHarness({ dir });
  h.legacy.add({ profile: { user_id: 'k-1', email: 'kill@example.com', app_metadata: { plan: 'gold' } }, password: 'kill-pw' });
  const prepared = (h.runtime.store as unknown as { prepared: Record<string, { run: (...a: unknown[]) => unknown }> }).prepared;
  for (const name of ['insertUser', 'upsertCredential', 'insertLog'] as const) {
    const stmt = prepared[name]!;
    const original = stmt.run.bind(stmt);
    stmt.run = (...args: unknown[]) => {
      if (killAt === `before:${name}`) process.kill(process.pid, 'SIGKILL');
      const r = original(...args);
      if (killAt === `after:${name}`) process.kill(process.pid, 'SIGKILL');
      return r;
    };
  }
  await h.runtime.engine().login('kill@example.com', 'kill-pw');
  process.kill(process.pid, 'SIGKILL'); // after the commit
}

void main();
