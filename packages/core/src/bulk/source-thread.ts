/**
 * The read side of a bulk run in a worker thread: the thread rebuilds the connector from
 * the same configuration, reads and gathers pages, prepares each batch (normalising,
 * Auth0's rules, and for sinks that take them, the JSON of each record) and hands ready
 * batches over while the run's thread writes the previous ones. At most `ahead` batches
 * wait between the two, so memory stays bounded.
 *
 * The thread starts from `source-thread-entry.ts`, which runs {@link runThread}.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker, parentPort } from 'node:worker_threads';
import type { FerryConfig } from '../config/ferry-config';
import { connectorPackageRoots, connectorSearchPaths } from '../connectors/connector-loader';
import { AuthError, ConfigError, DataError, FerryError, TransientError } from '../errors';
import { createRuntime, type FerryRuntime } from '../runtime/ferry-runtime';
import type { SourcePosition } from './bulk-types';
import { readyBatches, type ReadyBatch, type RecordSource } from './batches';
import type { PreparationOptions } from './record-preparation';

/** How a worker thread rebuilds the run's source: the configuration the runtime was made from. */
export interface SourceRecipe {
  config: FerryConfig;
  baseDir: string;
  /** The loader's extra search paths and known package roots (plugins), as in the run's thread. */
  searchPaths: string[];
  packageRoots: Array<[string, string]>;
}

/** The recipe for the connector of a runtime made from `config` (the loader's plugin paths included). */
export function sourceRecipe(config: FerryConfig, baseDir: string): SourceRecipe {
  return { config, baseDir, searchPaths: [...connectorSearchPaths], packageRoots: [...connectorPackageRoots] };
}

/** What the thread is started with. */
export interface ThreadData {
  kind: 'ferry-bulk-source';
  recipe: SourceRecipe;
  position: SourcePosition;
  batchSize: number;
  preparation: PreparationOptions & { serialise: boolean };
  ahead: number;
}

/** An error as it crosses threads: a Ferry error's own JSON form (plus a transient error's delay), or a plain error's name, message and stack. */
interface WireError {
  name: string;
  message: string;
  ferry?: ReturnType<FerryError['toJSON']> & { retryAfterMs?: number };
  stack?: string;
}

type ToRun = { type: 'batch'; batch: ReadyBatch } | { type: 'end' } | { type: 'error'; error: WireError };
type ToThread = { type: 'more' } | { type: 'stop' };

/** Batches waiting between the threads at most (each ~1000 records). */
const AHEAD = 2;
/**
 * The thread's heap. With V8's defaults the thread's old generation grew to ~100 MB
 * before collecting (what is live is ~30 MB of code and a few batches), which put the
 * process ~70 MB above a single-thread run. Capped, V8 collects sooner (bench/bulk, 1M
 * users to files: young 16 / old 128 peaked at 238 MB and 51k users/s; 32/128 at 266 MB
 * and 56k/s; 64/160 at 321 MB and 59k/s; one thread: 266–272 MB, 36–40k/s). A source whose
 * pages don't fit (huge records) makes the thread run out of memory, and the run goes
 * on in its own thread (see {@link SOURCE_THREAD_OUT_OF_MEMORY}).
 */
export const SOURCE_THREAD_HEAP_MB: SourceHeap = { young: 16, old: 128 };

/** Heap limits of the reading thread, in MB. */
export interface SourceHeap {
  young: number;
  old: number;
}

/** The error code of a reading thread that ran out of its heap. */
export const SOURCE_THREAD_OUT_OF_MEMORY = 'source_thread_out_of_memory';
/** How long a stopped thread may take to close its connector before it is terminated. */
const STOP_GRACE_MS = 5000;

function toWire(err: unknown): WireError {
  if (err instanceof FerryError) {
    const retry = err instanceof TransientError && err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {};
    return { name: err.name, message: err.message, ferry: { ...err.toJSON(), ...retry } };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return { name: e.name, message: e.message, ...(e.stack === undefined ? {} : { stack: e.stack }) };
}

function fromWire(w: WireError): Error {
  if (w.ferry !== undefined) {
    const { code, class: errorClass, message, hint, details, retryAfterMs } = w.ferry;
    const options = { ...(hint === undefined ? {} : { hint }), ...(details === undefined ? {} : { details }) };
    switch (errorClass) {
      case 'config':
        return new ConfigError(code, message, options);
      case 'transient':
        return new TransientError(code, message, { ...options, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
      case 'auth':
        return new AuthError(code, message, options);
      case 'data':
        return new DataError(code, message, options);
      default:
        return new FerryError(code, errorClass, message, options);
    }
  }
  const err = new Error(w.message);
  err.name = w.name;
  if (w.stack !== undefined) err.stack = w.stack;
  return err;
}

/** The compiled entry file (tests run from the TypeScript sources and use the build). */
function entryFile(): string {
  const file = __filename.endsWith('.js') ? join(__dirname, 'source-thread-entry.js') : resolve(__dirname, '..', '..', 'dist', 'bulk', 'source-thread-entry.js');
  if (!existsSync(file)) {
    throw new FerryError('source_thread_missing', 'internal', `The bulk run's reading thread needs the compiled ${file}.`, { hint: 'Build Ferry (pnpm build), or run without the reading thread.' });
  }
  return file;
}

/**
 * Ready batches from a worker thread that reads the source `recipe` describes, from
 * `position`. Stopping early (return or an error in the caller) stops the thread, which
 * closes its connector.
 */
export async function* threadedBatches(
  recipe: SourceRecipe,
  position: SourcePosition,
  batchSize: number,
  preparation: PreparationOptions & { serialise: boolean },
  heapMb: SourceHeap = SOURCE_THREAD_HEAP_MB,
): AsyncGenerator<ReadyBatch> {
  if (position.checkpoint === null) return;
  const data: ThreadData = { kind: 'ferry-bulk-source', recipe, position, batchSize, preparation, ahead: AHEAD };
  const worker = new Worker(entryFile(), { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: heapMb.young, maxOldGenerationSizeMb: heapMb.old } });
  const inbox: ToRun[] = [];
  let exitCode: number | undefined;
  let wake: (() => void) | undefined;
  worker.on('message', (m: ToRun) => {
    inbox.push(m);
    wake?.();
  });
  worker.on('error', (err) => {
    const outOfMemory = (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
    const error = outOfMemory
      ? new FerryError(SOURCE_THREAD_OUT_OF_MEMORY, 'internal', `The bulk run's reading thread ran out of its ${heapMb.old} MB heap (very large records or pages).`, { hint: 'Run with --no-source-thread.' })
      : err;
    inbox.push({ type: 'error', error: toWire(error) });
    wake?.();
  });
  const exited = new Promise<void>((done) =>
    worker.once('exit', (code) => {
      exitCode = code;
      wake?.();
      done();
    }),
  );
  try {
    for (;;) {
      while (inbox.length === 0) {
        if (exitCode !== undefined) {
          throw new FerryError('source_thread_exited', 'internal', `The bulk run's reading thread stopped unexpectedly (exit code ${exitCode}).`, {
            hint: 'The run stays resumable: continue it with --resume. If it happens again, run with --no-source-thread and report the problem.',
          });
        }
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
      }
      const message = inbox.shift() as ToRun;
      if (message.type === 'end') return;
      if (message.type === 'error') throw fromWire(message.error);
      worker.postMessage({ type: 'more' } satisfies ToThread);
      yield message.batch;
    }
  } finally {
    if (exitCode === undefined) {
      worker.postMessage({ type: 'stop' } satisfies ToThread);
      const timer = setTimeout(() => void worker.terminate(), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }
  }
}

/**
 * The thread's side: build the connector, read, prepare, hand over; stop when told.
 * Started by `source-thread-entry.ts` (only there: this module is also loaded in the
 * thread by anything that imports the core).
 */
export async function runThread(data: ThreadData): Promise<void> {
  const port = parentPort as NonNullable<typeof parentPort>;
  let credit = data.ahead;
  let stopped = false;
  let wake: (() => void) | undefined;
  port.on('message', (m: ToThread) => {
    if (m.type === 'more') credit += 1;
    else stopped = true;
    wake?.();
  });
  let rt: FerryRuntime | undefined;
  try {
    for (const path of data.recipe.searchPaths) if (!connectorSearchPaths.includes(path)) connectorSearchPaths.push(path);
    for (const [name, root] of data.recipe.packageRoots) connectorPackageRoots.set(name, root);
    rt = await createRuntime({ config: data.recipe.config, baseDir: data.recipe.baseDir, withoutStore: true });
    const connector = rt.connector;
    if (connector?.exportUsers === undefined) throw new ConfigError('capability_missing', `Connector '${data.recipe.config.connector.id}' cannot export users.`);
    for await (const batch of readyBatches(connector as RecordSource, data.position, data.batchSize, data.preparation)) {
      if (stopped) break;
      port.postMessage({ type: 'batch', batch } satisfies ToRun);
      credit -= 1;
      while (credit <= 0 && !stopped) await new Promise<void>((r) => (wake = r));
      if (stopped) break;
    }
    if (!stopped) port.postMessage({ type: 'end' } satisfies ToRun);
  } catch (err) {
    port.postMessage({ type: 'error', error: toWire(err) } satisfies ToRun);
  } finally {
    await rt?.close().catch(() => undefined);
    port.close();
  }
}

