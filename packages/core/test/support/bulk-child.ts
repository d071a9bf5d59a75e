/**
 * Child process for the bulk kill test: runs (or resumes) a bulk run of synthetic users
 * into files or the store; the test SIGKILLs it at random moments.
 */
import { join } from 'node:path';
import { FilesSink, PasswordHashingService, SqliteUserStore, StoreSink, runBulk, sourceRecipe, type BulkSink } from '../../src';
import { syntheticConfig } from './synthetic-connector';
import { ArraySource, syntheticUsers } from './synthetic-source';

const [dir, kind, count, thread] = process.argv.slice(2) as [string, 'files' | 'store', string, string | undefined];

async function main(): Promise<void> {
  const store = kind === 'store' ? new SqliteUserStore(join(dir, 'ferry.db')) : undefined;
  await store?.migrate();
  const sink: BulkSink = store
    ? new StoreSink({ store, hashing: new PasswordHashingService(), connection: 'legacy' })
    : new FilesSink({ dir: join(dir, 'out'), format: 'json', maxBytes: 40000 });
  const result = await runBulk({
    source: new ArraySource(syntheticUsers(Number(count)), 250, 3),
    // `thread`: the same users read and prepared in a worker thread that loads them as a connector package.
    ...(thread === 'thread' ? { sourceThread: sourceRecipe(syntheticConfig({ count: Number(count), pageSize: 250 }), dir) } : {}),
    sink,
    reportPath: join(dir, 'report.ndjson'),
    keepFerryHash: kind === 'store',
    afterComplete: 'refuse',
    batchSize: 100,
    resume: true,
    // The test kills the process a random number of batches in.
    onBatch: () => process.stdout.write('batch\n'),
  });
  await sink.close();
  await store?.close();
  process.stdout.write(`done ${JSON.stringify(result.state.counts)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(String((err as Error).stack));
  process.exit(1);
});
