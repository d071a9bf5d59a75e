/**
 * Builds a real runtime for tests: SQLite file store in a temp dir, the real hashing
 * service, and a MemoryLegacy bound as the connector through DI.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ContainerModule } from 'inversify';
import {
  ConnectorDefinition,
  createLogger,
  createRuntime,
  type FerryConfig,
  type FerryRuntime,
  type MigrationMode,
} from '../../src';
import { MemoryLegacy } from './memory-legacy';

export interface Harness {
  runtime: FerryRuntime;
  legacy: MemoryLegacy;
  logs: string[];
  dir: string;
  dbPath: string;
  cleanup(): Promise<void>;
}

export async function makeHarness(options: { mode?: MigrationMode; legacy?: MemoryLegacy; dir?: string } = {}): Promise<Harness> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'ferry-test-'));
  const legacy = options.legacy ?? new MemoryLegacy();
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString());
      cb();
    },
  });
  const logger = createLogger({ level: 'debug', destination: sink });
  const dbPath = join(dir, 'ferry.db');
  const config: FerryConfig = {
    store: `sqlite:${dbPath}`,
    connection: 'default',
    mode: options.mode ?? 'import',
    connector: { id: 'memory', config: {} },
    log: { level: 'debug' },
  };
  const memoryModule = new ContainerModule((o) => {
    o.bind(ConnectorDefinition).toConstantValue({
      id: 'memory',
      description: 'in-memory legacy (tests)',
      configSchema: { type: 'object' },
      create: () => legacy.connector(),
    });
  });
  const runtime = await createRuntime({ config, baseDir: dir, logger, modules: [memoryModule] });
  return {
    runtime,
    legacy,
    logs,
    dir,
    dbPath,
    async cleanup() {
      await runtime.close();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
