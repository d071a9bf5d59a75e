/**
 * Parallel bulk migration into the store: the export is split once into partitions (the
 * connector's key ranges), the plan is stored, and any number of workers — processes on
 * any machine sharing the store — claim partitions one at a time and run each as an
 * ordinary resumable bulk run with its own checkpoint.
 *
 * Coordination uses only the store's own guarantees. A partition's state setting carries
 * a lease `{owner, beat}`: claims and take-overs are compare-and-set on that setting, and
 * every batch commit checks the lease inside its transaction (a fence), so a worker that
 * lost its partition cannot commit over the one that took it. Liveness needs no shared
 * clock: a worker renews its lease by bumping `beat`, and another worker takes a partition
 * over only after seeing its value unchanged for `leaseSeconds` by its own clock.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Connector, ExportOptions } from '../contracts/connector';
import type { PasswordHashing } from '../contracts/password-hashing';
import type { JsonValue } from '../contracts/profile';
import { ConfigError, DataError, FerryError } from '../errors';
import type { UserStore } from '../store/user-store';
import { emptyCounts, type RunCounts, type RunState } from './bulk-types';
import { runBulk } from './bulk-run';
import { ReportFile } from './report-file';
import { StoreSink, type StateFence } from './store-sink';

/** The stored split of a partitioned run. */
export interface PartitionPlan {
  runId: string;
  createdAt: string;
  /** The connector's partitions ({@link Connector.planPartitions}), in order. */
  partitions: JsonValue[];
}

/** Who holds a partition: a worker id and a counter it bumps to show it is alive. */
export interface PartitionLease {
  owner: string;
  beat: number;
}

/** A previous reporter's last committed batch, whose lines its file may still lack. */
interface Handover {
  reporter: string;
  report: RunState['report'];
}

/**
 * What a partition's setting holds: a claim only, or a run state — with its lease (null
 * once released), the worker whose report file the state's `report` describes, and the
 * handover the holder has yet to complete (kept until its first commit, so that a holder
 * dying before completing it leaves it to the next one).
 */
type PartitionValue = { lease: PartitionLease | null; reporter?: string; handover?: Handover } & Partial<RunState>;

/** One partition's standing, for status and summaries. */
export interface PartitionStatus {
  index: number;
  status: 'pending' | 'running' | 'stopped' | 'done';
  owner?: string;
  counts: RunCounts;
}

/** A partitioned run's standing: per partition and in total. */
export interface PartitionedRunStatus {
  plan: PartitionPlan;
  partitions: PartitionStatus[];
  counts: RunCounts;
  complete: boolean;
}

/** Compare-and-set of a partition's value (claims, renewals, releases and take-overs all go through it). */
function swapPartition(store: UserStore, key: string, current: PartitionValue | undefined, next: PartitionValue): Promise<boolean> {
  return store.compareAndSetSetting(key, current as unknown as JsonValue | undefined, next as unknown as JsonValue);
}

const planKey = (connection: string) => `bulk:${connection}:plan`;
const partitionKey = (connection: string, index: number) => `bulk:${connection}:partition:${index}`;

/** Options of {@link startPartitionedRun}. */
export interface StartPartitionedRunOptions {
  store: UserStore;
  connector: Connector;
  connection: string;
  /** How many partitions to ask the connector for. */
  partitions: number;
  /** Join or continue the unfinished run in the store. */
  resume?: boolean;
  /** Discard the unfinished run in the store and plan a new one. */
  restart?: boolean;
}

/**
 * Plan a partitioned run, or return the one already in the store (to continue it, or to
 * join it from another machine). A finished run is replaced by a new one unless `resume`.
 */
export async function startPartitionedRun(options: StartPartitionedRunOptions): Promise<{ plan: PartitionPlan; created: boolean }> {
  const { store, connection } = options;
  const held = await store.getSetting(planKey(connection));
  if (held !== undefined && options.restart !== true) {
    const status = await partitionedRunStatus(store, connection);
    if (status !== undefined && (!status.complete || options.resume === true)) {
      if (!status.complete && options.resume !== true) {
        throw new ConfigError('run_in_progress', `The store holds an unfinished parallel run (${status.plan.runId}, ${status.counts.read} records so far).`, {
          hint: 'Continue or join it with --resume (from any machine sharing the store), or discard it with --restart.',
        });
      }
      return { plan: status.plan, created: false };
    }
  }
  if (options.resume === true && held === undefined) {
    throw new ConfigError('no_run_to_resume', 'There is no parallel run in the store to resume.', { hint: 'Start one without --resume.' });
  }
  if (typeof options.connector.planPartitions !== 'function') {
    throw new ConfigError('capability_missing', `Connector '${options.connector.id}' cannot split its export into partitions, which parallel workers need.`, {
      hint: "Run with --workers 1, or configure the connector's partitioning (see its README).",
    });
  }
  if (held !== undefined) await discardRun(store, connection, held as unknown as PartitionPlan);
  const partitions = await options.connector.planPartitions(options.partitions);
  if (partitions.length === 0) throw new DataError('no_partitions', `Connector '${options.connector.id}' returned no partitions.`);
  const plan: PartitionPlan = { runId: `run-${new Date().toISOString()}-${randomUUID().slice(0, 8)}`, createdAt: new Date().toISOString(), partitions };
  if (await store.compareAndSetSetting(planKey(connection), undefined, plan as unknown as JsonValue)) return { plan, created: true };
  // Another machine planned at the same moment: everyone uses the plan that was stored.
  return { plan: (await store.getSetting(planKey(connection))) as unknown as PartitionPlan, created: false };
}

async function discardRun(store: UserStore, connection: string, plan: PartitionPlan): Promise<void> {
  for (let i = 0; i < plan.partitions.length; i++) {
    const key = partitionKey(connection, i);
    const value = await store.getSetting(key);
    if (value !== undefined) await store.compareAndSetSetting(key, value, undefined);
  }
  await store.compareAndSetSetting(planKey(connection), plan as unknown as JsonValue, undefined);
}

/** The stored partitioned run of `connection` and where each partition stands; undefined when there is none. */
export async function partitionedRunStatus(store: UserStore, connection: string): Promise<PartitionedRunStatus | undefined> {
  const plan = (await store.getSetting(planKey(connection))) as unknown as PartitionPlan | undefined;
  if (plan === undefined) return undefined;
  const partitions: PartitionStatus[] = [];
  const counts = emptyCounts();
  for (let index = 0; index < plan.partitions.length; index++) {
    const value = (await store.getSetting(partitionKey(connection, index))) as PartitionValue | undefined;
    const c = value?.counts ?? emptyCounts();
    for (const k of Object.keys(counts) as (keyof RunCounts)[]) counts[k] += c[k];
    const status = value === undefined ? 'pending' : value.done === true ? 'done' : value.lease === null ? 'stopped' : 'running';
    partitions.push({ index, status, ...(value?.lease ? { owner: value.lease.owner } : {}), counts: c });
  }
  return { plan, partitions, counts, complete: partitions.every((p) => p.status === 'done') };
}

/** Options of {@link runPartitionWorker}. */
export interface PartitionWorkerOptions {
  store: UserStore;
  hashing: PasswordHashing;
  connector: Connector & Required<Pick<Connector, 'exportUsers'>>;
  connection: string;
  plan: PartitionPlan;
  /** Where this worker writes one NDJSON report per partition it runs. */
  reportDir: string;
  /** This worker's id (default: random). */
  owner?: string;
  batchSize?: number;
  /** A partition whose state does not change for this long is taken over (default 30). */
  leaseSeconds?: number;
  /** How often to look for work while others hold every open partition (default leaseSeconds / 5). */
  pollSeconds?: number;
  signal?: AbortSignal;
  onBatch?: (partition: number, state: RunState) => void;
  /** Told when a partition is claimed, taken over, or lost to another worker. */
  onEvent?: (event: { type: 'claimed' | 'took-over' | 'lost' | 'done'; partition: number }) => void;
}

/** What one worker did. */
export interface PartitionWorkerResult {
  owner: string;
  /** Partitions this worker finished. */
  finished: number[];
  interrupted: boolean;
}

/**
 * Claim and run partitions of `plan` until every partition is done (or `signal` stops
 * this worker, which then releases its partition so another can continue it at once).
 */
export async function runPartitionWorker(options: PartitionWorkerOptions): Promise<PartitionWorkerResult> {
  const owner = options.owner ?? randomUUID();
  const leaseMs = (options.leaseSeconds ?? 30) * 1000;
  const pollMs = (options.pollSeconds ?? leaseMs / 5000) * 1000;
  const seen = new Map<number, { text: string; since: number }>();
  const finished: number[] = [];
  const count = options.plan.partitions.length;
  // Workers start at different partitions so they rarely race for the same claim.
  const offset = Number.parseInt(owner.replace(/[^0-9a-f]/gi, '').slice(0, 6) || '0', 16) % count;
  for (;;) {
    if (options.signal?.aborted === true) return { owner, finished, interrupted: true };
    const current = (await options.store.getSetting(planKey(options.connection))) as unknown as PartitionPlan | undefined;
    if (current?.runId !== options.plan.runId) {
      throw new ConfigError('run_replaced', `Parallel run ${options.plan.runId} was discarded (--restart) or replaced while this worker ran.`, {
        hint: 'Nothing of the new run was touched. Join the current run with `ferry migrate --remaining --resume`.',
      });
    }
    let open = 0;
    let claimed: number | undefined;
    let handover: Handover | undefined;
    for (let k = 0; k < count && claimed === undefined; k++) {
      const index = (offset + k) % count;
      const key = partitionKey(options.connection, index);
      const value = (await options.store.getSetting(key)) as PartitionValue | undefined;
      if (value?.done === true) continue;
      open += 1;
      const claim = async (from: PartitionValue | undefined) => {
        const next = claimOf(from, owner, reportPath(options, index, owner));
        if (!(await swapPartition(options.store, key, from, next))) return false;
        handover = next.handover;
        return true;
      };
      if (value === undefined || value.lease === null) {
        if (await claim(value)) {
          claimed = index;
          options.onEvent?.({ type: 'claimed', partition: index });
        }
        continue;
      }
      const text = JSON.stringify(value);
      const last = seen.get(index);
      if (last === undefined || last.text !== text) seen.set(index, { text, since: Date.now() });
      else if (Date.now() - last.since >= leaseMs && (await claim(value))) {
        claimed = index;
        options.onEvent?.({ type: 'took-over', partition: index });
      }
    }
    if (claimed === undefined) {
      if (open === 0) return { owner, finished, interrupted: false };
      await sleep(pollMs, options.signal);
      continue;
    }
    const outcome = await runPartition(options, owner, claimed, leaseMs, handover);
    if (outcome === 'done') {
      finished.push(claimed);
      options.onEvent?.({ type: 'done', partition: claimed });
    } else if (outcome === 'lost') options.onEvent?.({ type: 'lost', partition: claimed });
    else return { owner, finished, interrupted: true };
  }
}

/** This worker's report file for a partition: one per partition and worker, kept across its claims. */
function reportPath(options: Pick<PartitionWorkerOptions, 'reportDir'>, index: number, owner: string): string {
  return join(options.reportDir, `partition-${index}-${owner}.ndjson`);
}

/**
 * `owner`'s claim of a partition that held `from`. The state's report position is the
 * last reporter's: the same worker continues it exactly; another continues its own file
 * (`path`) where it ends — every line there was committed, since lines are appended after
 * their batch's commit — and takes a handover of the last batch's lines, to complete the
 * file that should have them. A handover not yet completed passes on to the next claim;
 * back to its own reporter, it becomes that worker's report position again (its resume
 * restores the file exactly).
 */
function claimOf(from: PartitionValue | undefined, owner: string, path: string): PartitionValue {
  const next: PartitionValue = { ...(from ?? {}), lease: { owner, beat: 0 }, reporter: owner };
  if (from?.report === undefined || from.reporter === owner) return next;
  // A holder with a handover has not committed since its claim, so its own `pending` is empty.
  const handover = from.reporter !== undefined && from.report.pending !== '' ? { reporter: from.reporter, report: from.report } : from.handover;
  delete next.handover;
  if (handover?.reporter === owner) next.report = handover.report;
  else {
    next.report = { bytes: existsSync(path) ? statSync(path).size : 0, pending: '' };
    if (handover !== undefined) next.handover = handover;
  }
  return next;
}

/**
 * After taking a partition from another worker: if that worker's report file is here and
 * lacks its last batch's lines (it died between the commit and the append), add them as
 * its own resume would — idempotent, as a later claim may do it again. A file on another
 * machine is not seen; its worker appends them right after the commit, so only a worker
 * that died in that instant loses them.
 */
function completeReport(path: string, report: RunState['report']): void {
  const size = existsSync(path) ? statSync(path).size : -1;
  if (size < report.bytes || size >= report.bytes + Buffer.byteLength(report.pending)) return;
  const file = new ReportFile(path);
  try {
    file.restore(report.bytes, report.pending);
  } finally {
    file.close();
  }
}

/** Run one claimed partition (with the claim's `handover` to complete) to its end; renew the lease meanwhile. */
async function runPartition(options: PartitionWorkerOptions, owner: string, index: number, leaseMs: number, handover: Handover | undefined): Promise<'done' | 'lost' | 'stopped'> {
  const { store, connection, plan } = options;
  const key = partitionKey(connection, index);
  let beat = 0;
  const fence: StateFence = {
    check(current) {
      const lease = (current as PartitionValue | undefined)?.lease;
      if (lease?.owner !== owner) {
        throw new DataError('lease_lost', `Partition ${index} of run ${plan.runId} was taken over by another worker.`, {
          hint: 'Nothing is lost: the other worker continues from the last committed batch. Keep workers renewing (check the store and network latency) or raise the lease time.',
        });
      }
    },
    // Every commit follows completeReport, so it drops the handover (the state loaded by the run still holds it).
    stamp: (state) => {
      const { handover: _completed, ...rest } = state as PartitionValue;
      return { ...rest, lease: { owner, beat: ++beat }, reporter: owner } as unknown as JsonValue;
    },
  };
  // Renew the lease while a batch is slow; a failed renewal just means a commit came first.
  const renew = setInterval(() => {
    void (async () => {
      const current = (await store.getSetting(key)) as PartitionValue | undefined;
      if (current?.lease?.owner === owner) await swapPartition(store, key, current, { ...current, lease: { owner, beat: ++beat } });
    })().catch(() => undefined);
  }, Math.max(50, leaseMs / 3));
  renew.unref();
  mkdirSync(options.reportDir, { recursive: true });
  const report = reportPath(options, index, owner);
  writeFileSync(report, '', { flag: 'a' });
  const source = {
    id: options.connector.id,
    exportUsers: (o: ExportOptions) => options.connector.exportUsers({ ...o, partition: plan.partitions[index] as JsonValue }),
  };
  const release = async () => {
    const current = (await store.getSetting(key)) as PartitionValue | undefined;
    if (current?.lease?.owner === owner) await swapPartition(store, key, current, { ...current, lease: null });
  };
  try {
    if (handover !== undefined) completeReport(reportPath(options, index, handover.reporter), handover.report);
    const result = await runBulk({
      source,
      sink: new StoreSink({ store, hashing: options.hashing, connection, stateKey: key, fence }),
      reportPath: report,
      keepFerryHash: true,
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      resume: true,
      afterComplete: 'refuse',
      runId: plan.runId,
      ...(options.signal ? { signal: options.signal } : {}),
      onBatch: (state) => options.onBatch?.(index, state),
    });
    if (result.state.done) return 'done';
  } catch (err) {
    if (err instanceof FerryError && err.code === 'lease_lost') return 'lost';
    // Hand the partition back before failing, so another worker need not wait for the lease.
    await release().catch(() => undefined);
    throw err;
  } finally {
    clearInterval(renew);
  }
  // Stopped by the signal: release the partition so the next worker continues it at once.
  await release();
  return 'stopped';
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
