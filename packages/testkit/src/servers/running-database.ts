/**
 * Shared plumbing for the throwaway database servers tests and benchmarks start.
 */
import { type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';

/** A database server started for a test run. */
export interface RunningDatabase {
  /** Connection URL with credentials, e.g. `postgres://postgres:pw@127.0.0.1:54012/ferry`. */
  url: string;
  /** Stops the server and deletes its data directory. */
  stop(): Promise<void>;
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Poll `probe` until it resolves, the child exits, or `timeoutMs` passes. */
export async function waitUntilReady(child: ChildProcess, probe: () => Promise<void>, timeoutMs: number, describeFailure: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${describeFailure()} (server exited with ${child.exitCode ?? child.signalCode})`);
    try {
      await probe();
      return;
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`${describeFailure()} (not ready after ${timeoutMs} ms: ${String(last)})`);
}

/** Send SIGTERM, then SIGKILL if the child has not exited after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * Wait for a freshly spawned server to answer `probe`. Returns the function that stops
 * it and deletes its directory `dir`; when it never becomes ready, does that at once and
 * rethrows.
 */
export async function superviseServer(
  child: ChildProcess,
  dir: string,
  probe: () => Promise<void>,
  timeoutMs: number,
  describeFailure: () => string,
): Promise<() => Promise<void>> {
  const stop = async () => {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(child, probe, timeoutMs, describeFailure);
  } catch (err) {
    await stop();
    throw err;
  }
  return stop;
}
