/**
 * `ferry migrate --remaining --workers N`: a partitioned run shared through the store.
 * This process plans (or joins) the run, then runs one worker itself (N = 1) or starts N
 * worker processes of the same binary (`--worker`), shows the combined progress read
 * from the store, and summarises the whole run — including partitions other machines ran.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import {
  PasswordHashing,
  partitionedRunStatus,
  runPartitionWorker,
  startPartitionedRun,
  type Connector,
  type FerryRuntime,
  type PartitionPlan,
} from '@ferry/core';
import type { Progress } from './progress';
import type { BulkCommandResult } from './run-summary';

/** What a parallel migration needs from the command. */
export interface ParallelMigrateOptions {
  rt: FerryRuntime;
  connector: Connector & Required<Pick<Connector, 'exportUsers'>>;
  /** Worker processes to start here (1 = run the worker in this process). */
  workers: number;
  /** Partitions for a new plan. */
  partitions: number;
  resume: boolean;
  restart: boolean;
  batchSize: number;
  leaseSeconds: number;
  reportDir: string;
  /** Argument vector that starts one worker process of this run (after the binary). */
  workerArgs: string[];
  /** The CLI's `bin/run.js`. */
  bin: string;
  signal: AbortSignal;
  progress: Progress;
  say: (line: string) => void;
  warn: (line: string) => void;
}

/** True when the store holds a partitioned run of this connection that is not finished. */
export async function hasOpenParallelRun(rt: FerryRuntime): Promise<boolean> {
  const status = await partitionedRunStatus(rt.store, rt.config.connection);
  return status !== undefined && !status.complete;
}

/** Plan or join the run, work it to the end with `workers` workers, and summarise it. */
export async function parallelMigrate(o: ParallelMigrateOptions): Promise<BulkCommandResult> {
  const { rt } = o;
  const { plan, created } = await startPartitionedRun({
    store: rt.store,
    connector: o.connector,
    connection: rt.config.connection,
    partitions: o.partitions,
    resume: o.resume,
    restart: o.restart,
  });
  o.say(
    `${created ? 'Planned' : 'Joined'} parallel run ${plan.runId}: ${plan.partitions.length} partition${plan.partitions.length === 1 ? '' : 's'}, ` +
      `${o.workers} worker${o.workers === 1 ? '' : 's'} here (other machines sharing the store can join with --resume).`,
  );
  const watch = setInterval(() => void showProgress(o).catch(() => undefined), 1000);
  let interrupted = false;
  try {
    if (o.workers === 1) interrupted = (await runWorkerHere(o, plan)).interrupted;
    else interrupted = await runWorkerProcesses(o);
  } finally {
    clearInterval(watch);
  }
  const status = await partitionedRunStatus(rt.store, rt.config.connection);
  if (status === undefined) throw new Error('the parallel run disappeared from the store');
  if (status.complete) o.progress.update({ counts: status.counts });
  const open = status.partitions.filter((p) => p.status !== 'done');
  if (!status.complete && !interrupted) o.say(`${open.length} partition(s) are still held by workers elsewhere (${open.map((p) => p.index).join(', ')}); they finish them.`);
  return {
    runId: plan.runId,
    status: status.complete ? 'complete' : 'interrupted',
    resumed: !created,
    dryRun: false,
    counts: status.counts,
    report: o.reportDir,
    partitions: { total: status.partitions.length, done: status.partitions.length - open.length },
  };
}

async function showProgress(o: ParallelMigrateOptions): Promise<void> {
  const status = await partitionedRunStatus(o.rt.store, o.rt.config.connection);
  if (status !== undefined) o.progress.update({ counts: status.counts });
}

/** What one worker loop needs. */
export type WorkerHereOptions = Pick<ParallelMigrateOptions, 'rt' | 'connector' | 'reportDir' | 'batchSize' | 'leaseSeconds' | 'signal' | 'warn'>;

/** The worker loop in this process (also what each `--worker` process runs). */
export async function runWorkerHere(o: WorkerHereOptions, plan: PartitionPlan): Promise<{ interrupted: boolean }> {
  const result = await runPartitionWorker({
    store: o.rt.store,
    hashing: o.rt.container.get(PasswordHashing),
    connector: o.connector,
    connection: o.rt.config.connection,
    plan,
    reportDir: o.reportDir,
    batchSize: o.batchSize,
    leaseSeconds: o.leaseSeconds,
    signal: o.signal,
    onEvent: (e) => {
      if (e.type === 'took-over') o.warn(`took over partition ${e.partition}: its worker stopped renewing its lease`);
      if (e.type === 'lost') o.warn(`partition ${e.partition} was taken over by another worker; moving on`);
    },
  });
  return { interrupted: result.interrupted };
}

/** Start `workers` processes, pass Ctrl-C on to them, and wait for all of them. */
async function runWorkerProcesses(o: ParallelMigrateOptions): Promise<boolean> {
  const children: ChildProcess[] = [];
  // A second Ctrl-C makes this process exit at once; the workers go with it (their partitions resume later).
  const killAll = () => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL'));
  process.once('exit', killAll);
  const forward = () => children.forEach((c) => c.exitCode === null && c.kill('SIGINT'));
  o.signal.addEventListener('abort', forward, { once: true });
  try {
    const exits = Array.from({ length: o.workers }, (_, i) => {
      // Own process group: a terminal's Ctrl-C reaches this process only, which passes it on once.
      const child = spawn(process.execPath, [o.bin, ...o.workerArgs], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
      children.push(child);
      createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => o.warn(`worker ${i + 1}: ${line}`));
      // 'close', not 'exit': the worker's last stderr lines are read by then.
      return new Promise<number>((resolve) => child.on('close', (code, sig) => resolve(code ?? (sig === 'SIGINT' ? 130 : 1))));
    });
    const codes = await Promise.all(exits);
    const failed = codes.filter((c) => c !== 0 && c !== 130).length;
    if (failed > 0) o.warn(`${failed} worker process(es) failed (see their lines above); their partitions are picked up by the others or by a --resume.`);
    return o.signal.aborted || codes.some((c) => c === 130);
  } finally {
    o.signal.removeEventListener('abort', forward);
    process.off('exit', killAll);
  }
}
