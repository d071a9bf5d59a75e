import { mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  PasswordHashingService,
  SqliteUserStore,
  StoreSink,
  runBulk,
  partitionedRunStatus,
  runPartitionWorker,
  startPartitionedRun,
  type Connector,
  type ExportOptions,
  type ExportPage,
  type ImportRecord,
  type JsonValue,
  type PartitionPlan,
  type PartitionWorkerOptions,
} from '../../src';
import { syntheticUsers } from '../support/synthetic-source';

/** A connector over an array whose partitions are index ranges `{from, to}` (from exclusive, to inclusive). */
class RangeConnector implements Connector {
  readonly id = 'ranges';
  /** While set, pages wait for it (to hold a worker inside a partition). */
  gate: Promise<void> | undefined;

  constructor(
    private readonly records: ImportRecord[],
    private readonly pageSize = 100,
  ) {}

  async planPartitions(count: number): Promise<JsonValue[]> {
    const n = Math.min(count, this.records.length);
    const size = Math.ceil(this.records.length / n);
    const out: JsonValue[] = [];
    for (let from = 0; from < this.records.length; from += size) out.push({ from, to: Math.min(from + size, this.records.length) });
    return out;
  }

  async *exportUsers(options: ExportOptions): AsyncIterable<ExportPage> {
    const range = options.partition as { from: number; to: number };
    let after = typeof options.checkpoint === 'number' ? options.checkpoint : range.from;
    for (;;) {
      if (this.gate) await this.gate;
      const end = Math.min(after + this.pageSize, range.to);
      const records = structuredClone(this.records.slice(after, end));
      after = end;
      yield { records, checkpoint: after >= range.to ? null : after };
      if (after >= range.to) return;
    }
  }
}

describe('partitioned bulk run into the store', () => {
  let dir: string;
  let store: SqliteUserStore;
  const hashing = new PasswordHashingService();
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-parts-'));
    store = new SqliteUserStore(join(dir, 'ferry.db'));
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const worker = (connector: RangeConnector, plan: Awaited<ReturnType<typeof startPartitionedRun>>['plan'], extra: Partial<PartitionWorkerOptions> = {}) =>
    runPartitionWorker({ store, hashing, connector, connection: 'c', plan, reportDir: join(dir, 'reports'), batchSize: 50, leaseSeconds: 5, pollSeconds: 0.05, ...extra });

  const reportLines = () =>
    readdirSync(join(dir, 'reports')).flatMap((f) =>
      readFileSync(join(dir, 'reports', f), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { outcome: string; code: string; user_id?: string }),
    );

  it('splits the export among concurrent workers: every record once, the counts balanced, duplicates caught across partitions', async () => {
    const users = syntheticUsers(2000);
    const connector = new RangeConnector(users);
    const { plan, created } = await startPartitionedRun({ store, connector, connection: 'c', partitions: 8 });
    expect(created).toBe(true);
    expect(plan.partitions).toHaveLength(8);
    const results = await Promise.all([worker(connector, plan), worker(connector, plan), worker(connector, plan)]);
    expect(results.flatMap((r) => r.finished).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);

    const status = await partitionedRunStatus(store, 'c');
    expect(status?.complete).toBe(true);
    const c = status!.counts;
    expect(c.read).toBe(2000);
    expect(c.read).toBe(c.written + c.skipped + c.rejected);
    const stored = (await store.stats('c')).total;
    expect(stored).toBe(c.written);
    // Every 97th user repeats the previous one's email; every 307th has no email; every 211th a reserved app_metadata key.
    const lines = reportLines();
    expect(lines.filter((l) => l.outcome === 'rejected')).toHaveLength(c.rejected);
    expect(lines.filter((l) => l.code === 'duplicate_email').length).toBeGreaterThan(0);
    // The same records in one sequential run give the same tally (which of two duplicates wins may differ).
    const alone = new SqliteUserStore(join(dir, 'alone.db'));
    await alone.migrate();
    const sequential = await runBulk({
      source: { id: 'ranges', exportUsers: (o) => connector.exportUsers({ ...o, partition: { from: 0, to: users.length } }) },
      sink: new StoreSink({ store: alone, hashing, connection: 'c' }),
      reportPath: join(dir, 'alone.ndjson'),
      keepFerryHash: true,
      afterComplete: 'refuse',
    });
    await alone.close();
    expect(c).toEqual({ ...sequential.state.counts, batches: c.batches });
  });

  it('takes over a partition whose worker stopped renewing its lease, and fences the old worker out', async () => {
    const connector = new RangeConnector(syntheticUsers(600), 50);
    const { plan } = await startPartitionedRun({ store, connector, connection: 'c', partitions: 3 });
    let open!: () => void;
    connector.gate = new Promise((resolve) => (open = resolve));
    const events: string[] = [];
    // The slow worker claims one partition, then hangs in its first page.
    const slow = worker(connector, plan, { owner: 'slow', leaseSeconds: 60, onEvent: (e) => events.push(`slow ${e.type} ${e.partition}`) });
    await new Promise((r) => setTimeout(r, 100));
    const held = await partitionedRunStatus(store, 'c');
    const taken = held!.partitions.find((p) => p.owner === 'slow')!.index;
    // Simulate its lease going stale: another worker steals it (as a worker with a short lease would).
    const key = `bulk:c:partition:${taken}`;
    const value = (await store.getSetting(key)) as { lease: unknown };
    expect(await store.compareAndSetSetting(key, value as JsonValue, { ...value, lease: { owner: 'thief', beat: 0 } } as unknown as JsonValue)).toBe(true);
    await store.compareAndSetSetting(key, { ...value, lease: { owner: 'thief', beat: 0 } } as unknown as JsonValue, { ...value, lease: null } as unknown as JsonValue);
    connector.gate = undefined;
    open();
    const fast = worker(connector, plan, { owner: 'fast' });
    const [slowResult, fastResult] = await Promise.all([slow, fast]);
    expect(events).toContain(`slow lost ${taken}`);
    expect([...slowResult.finished, ...fastResult.finished].sort()).toEqual([0, 1, 2]);
    const status = await partitionedRunStatus(store, 'c');
    expect(status?.complete).toBe(true);
    expect(status!.counts.read).toBe(600);
    expect((await store.stats('c')).total).toBe(status!.counts.written);
  });

  it("continues a dead worker's partition after its lease time, from the last committed batch", async () => {
    const connector = new RangeConnector(syntheticUsers(400), 50);
    const { plan } = await startPartitionedRun({ store, connector, connection: 'c', partitions: 2 });
    // A worker that is stopped after its first batch, without releasing (as if killed).
    const stop = new AbortController();
    let batches = 0;
    const ghost = await worker(connector, plan, {
      owner: 'ghost',
      signal: stop.signal,
      onBatch: () => {
        batches += 1;
        if (batches === 2) stop.abort();
      },
    });
    expect(ghost.interrupted).toBe(true);
    // Put the lease back as if the process had died instead of releasing it.
    const parts = (await partitionedRunStatus(store, 'c'))!.partitions;
    const stopped = parts.find((p) => p.status === 'stopped')!;
    const key = `bulk:c:partition:${stopped.index}`;
    const value = (await store.getSetting(key)) as Record<string, JsonValue>;
    await store.setSetting(key, { ...value, lease: { owner: 'ghost', beat: 7 } });
    const events: string[] = [];
    const heir = await worker(connector, plan, { owner: 'heir', leaseSeconds: 0.3, onEvent: (e) => events.push(`${e.type} ${e.partition}`) });
    expect(events).toContain(`took-over ${stopped.index}`);
    expect(heir.finished.sort()).toEqual([0, 1]);
    const status = await partitionedRunStatus(store, 'c');
    expect(status!.counts.read).toBe(400);
    expect((await store.stats('c')).total).toBe(status!.counts.written);
  });

  /** The report lines, sorted, of one sequential run of `users` (what a partitioned run's files must hold, each line once). */
  const sequentialReport = async (users: ImportRecord[]) => {
    const alone = new SqliteUserStore(join(dir, 'alone.db'));
    await alone.migrate();
    try {
      await runBulk({
        source: { id: 'ranges', exportUsers: (o) => new RangeConnector(users, 50).exportUsers({ ...o, partition: { from: 0, to: users.length } }) },
        sink: new StoreSink({ store: alone, hashing, connection: 'c' }),
        reportPath: join(dir, 'alone.ndjson'),
        keepFerryHash: true,
        batchSize: 50,
        afterComplete: 'refuse',
      });
    } finally {
      await alone.close();
    }
    return readFileSync(join(dir, 'alone.ndjson'), 'utf8').split('\n').filter(Boolean).sort();
  };
  const rawReportLines = () => reportLines().map((l) => JSON.stringify(l)).sort();
  /** A worker on the one partition of `plan` that stops (and releases it) once the partition has `batches` batches. */
  const stoppingAt = (connector: RangeConnector, plan: PartitionPlan, owner: string, batches: number) => {
    const stop = new AbortController();
    return worker(connector, plan, { owner, signal: stop.signal, onBatch: (_, state) => state.counts.batches === batches && stop.abort() });
  };

  it("a worker that claims a partition again keeps its first claim's report lines, and a handover copies none: every line once", async () => {
    const users = syntheticUsers(400);
    const connector = new RangeConnector(users, 50);
    const { plan } = await startPartitionedRun({ store, connector, connection: 'c', partitions: 1 });
    // w runs batches 1-2 (a duplicate email in batch 2), v batches 3-4, then w again to the end.
    expect((await stoppingAt(connector, plan, 'w', 2)).interrupted).toBe(true);
    expect((await stoppingAt(connector, plan, 'v', 4)).interrupted).toBe(true);
    expect((await worker(connector, plan, { owner: 'w' })).finished).toEqual([0]);
    const status = (await partitionedRunStatus(store, 'c'))!;
    expect(status.complete).toBe(true);
    const lines = reportLines();
    expect(lines.filter((l) => l.outcome === 'rejected')).toHaveLength(status.counts.rejected);
    expect(rawReportLines()).toEqual(await sequentialReport(users));
    // Each line in the file of the worker that committed its batch.
    const codes = (file: string) => readFileSync(join(dir, 'reports', file), 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { user_id?: string }).user_id);
    expect(codes('partition-0-w.ndjson')).toEqual(['u0000097', 'u0000211', 'u0000291', 'u0000307', 'u0000388']);
    expect(codes('partition-0-v.ndjson')).toEqual(['u0000194']);
  });

  /**
   * One partition of 400 users, worker 'ghost' stopped after committing batch 2 and cut back
   * as if it had died before appending that batch's lines, its lease kept.
   */
  async function ghostDiedBeforeAppend() {
    const users = syntheticUsers(400);
    const connector = new RangeConnector(users, 50);
    const { plan } = await startPartitionedRun({ store, connector, connection: 'c', partitions: 1 });
    await stoppingAt(connector, plan, 'ghost', 2);
    const key = 'bulk:c:partition:0';
    const value = (await store.getSetting(key)) as { report: { bytes: number; pending: string } } & Record<string, JsonValue>;
    expect(value.report.pending).toContain('u0000097');
    const ghostFile = join(dir, 'reports', 'partition-0-ghost.ndjson');
    truncateSync(ghostFile, value.report.bytes);
    await store.setSetting(key, { ...value, lease: { owner: 'ghost', beat: 7 } });
    return { users, connector, plan, key, committedBytes: value.report.bytes, ghostFile };
  }

  it("a worker that died between a commit and its report append: the worker taking over completes that worker's report", async () => {
    const { users, connector, plan } = await ghostDiedBeforeAppend();
    const heir = await worker(connector, plan, { owner: 'heir', leaseSeconds: 0.3 });
    expect(heir.finished).toEqual([0]);
    expect(rawReportLines()).toEqual(await sequentialReport(users));
  });

  it.each(['third', 'ghost'])(
    "a dead worker's missing report lines survive a take-over that died before completing them: %s's claim after it completes the file, every line once",
    async (last) => {
      const { users, connector, plan, key, committedBytes, ghostFile } = await ghostDiedBeforeAppend();
      // heir takes the partition over and dies right after its claim, before completing ghost's file.
      const died = new Error('heir died');
      const heir = worker(connector, plan, {
        owner: 'heir',
        leaseSeconds: 0.3,
        onEvent: (e) => {
          if (e.type === 'took-over') throw died;
        },
      });
      await expect(heir).rejects.toBe(died);
      expect(readFileSync(ghostFile).length).toBe(committedBytes);
      expect(((await store.getSetting(key)) as { lease: { owner: string } }).lease.owner).toBe('heir');
      // The next claimant (another worker, or ghost itself back) takes it over from heir.
      const events: string[] = [];
      const next = await worker(connector, plan, { owner: last, leaseSeconds: 0.3, onEvent: (e) => events.push(e.type) });
      expect(events).toEqual(['took-over', 'done']);
      expect(next.finished).toEqual([0]);
      expect(readFileSync(ghostFile, 'utf8')).toContain('u0000097');
      const status = (await partitionedRunStatus(store, 'c'))!;
      expect(status.complete).toBe(true);
      expect(status.counts.read).toBe(400);
      expect(status.counts.read).toBe(status.counts.written + status.counts.skipped + status.counts.rejected);
      expect((await store.stats('c')).total).toBe(status.counts.written);
      expect(reportLines().filter((l) => l.outcome === 'rejected')).toHaveLength(status.counts.rejected);
      expect(rawReportLines()).toEqual(await sequentialReport(users));
    },
  );

  it('stops a worker whose run was discarded or replaced meanwhile', async () => {
    const connector = new RangeConnector(syntheticUsers(300), 50);
    const { plan } = await startPartitionedRun({ store, connector, connection: 'c', partitions: 3 });
    const restarted = await startPartitionedRun({ store, connector, connection: 'c', partitions: 3, restart: true });
    expect(restarted.plan.runId).not.toBe(plan.runId);
    await expect(worker(connector, plan)).rejects.toMatchObject({ code: 'run_replaced' });
    expect((await partitionedRunStatus(store, 'c'))!.partitions.every((p) => p.status === 'pending')).toBe(true);
  });

  it('asks for --resume to join an unfinished run, plans anew after a finished one, and names a connector that cannot split', async () => {
    const connector = new RangeConnector(syntheticUsers(100));
    const { plan } = await startPartitionedRun({ store, connector, connection: 'c', partitions: 2 });
    await expect(startPartitionedRun({ store, connector, connection: 'c', partitions: 2 })).rejects.toMatchObject({ code: 'run_in_progress' });
    expect((await startPartitionedRun({ store, connector, connection: 'c', partitions: 2, resume: true })).plan.runId).toBe(plan.runId);
    await worker(connector, plan);
    const next = await startPartitionedRun({ store, connector, connection: 'c', partitions: 2 });
    expect(next.created).toBe(true);
    expect(next.plan.runId).not.toBe(plan.runId);
    expect((await partitionedRunStatus(store, 'c'))!.partitions.every((p) => p.status === 'pending')).toBe(true);
    const plain: Connector = { id: 'plain', exportUsers: connector.exportUsers.bind(connector) };
    await store.compareAndSetSetting('bulk:c:plan', (await store.getSetting('bulk:c:plan'))!, undefined);
    await expect(startPartitionedRun({ store, connector: plain, connection: 'c', partitions: 2 })).rejects.toMatchObject({ code: 'capability_missing' });
  });
});
