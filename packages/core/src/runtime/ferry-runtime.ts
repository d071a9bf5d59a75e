/**
 * Assembles a running Ferry from a configuration: logger, store, hashing, HTTP client,
 * connector and engine, all in one inversify container.
 */
import { Container, type ContainerModule } from 'inversify';
import { Connector, type ConnectorContext } from '../contracts/connector';
import { PasswordHashing } from '../contracts/password-hashing';
import type { FerryConfig } from '../config/ferry-config';
import { secretPaths, validateConfig } from '../config/validate';
import { loadConnectorPackage, pickDefinition } from '../connectors/connector-loader';
import { sourceRecipe, type SourceRecipe } from '../bulk/source-thread';
import { FerryError } from '../errors';
import { EngineOptions } from '../engine/engine-types';
import { MigrationEngine } from '../engine/migration-engine';
import { createHashingModule } from '../hashing';
import { HttpClientFactory, httpModule } from '../http';
import { createLogger, Logger } from '../logging/logger';
import { openStore } from '../store/open-store';
import { UserStore } from '../store/user-store';

/** Options for {@link createRuntime}. */
export interface RuntimeOptions {
  config: FerryConfig;
  /** Directory that relative paths in the config resolve against. */
  baseDir: string;
  /** Keys whose values came from environment variables (to warn about secrets in clear). */
  fromEnv?: Set<string>;
  logger?: Logger;
  /** Extra modules loaded before the connector (tests and embedders rebind tokens here). */
  modules?: ContainerModule[];
  /** Skip creating the connector (commands that only read the store). */
  withoutConnector?: boolean;
  /** Don't open the store (commands that only call the connector, like `ferry try`). */
  withoutStore?: boolean;
}

/** A running Ferry. Close it when done. */
export interface FerryRuntime {
  container: Container;
  config: FerryConfig;
  logger: Logger;
  /** The store (throws when the runtime was made `withoutStore`). */
  readonly store: UserStore;
  /** The live connector (undefined with `withoutConnector`). */
  connector: Connector | undefined;
  /**
   * How another thread can build the same connector (a bulk run's reading thread);
   * undefined without a connector, or when `modules` rebound tokens another thread can't see.
   */
  sourceRecipe: SourceRecipe | undefined;
  /** The engine (needs both store and connector). */
  engine(): MigrationEngine;
  /** Wait for background work, close the connector and the store. */
  close(): Promise<void>;
}

/** Build the container for `options.config`, open the store (migrating its schema) and create the connector. */
export async function createRuntime(options: RuntimeOptions): Promise<FerryRuntime> {
  const { config, baseDir } = options;
  const logger = options.logger ?? createLogger({ level: config.log.level });
  const container = new Container();
  container.bind(Logger).toConstantValue(logger);
  await container.load(createHashingModule(config.hashing?.limits ?? {}), httpModule, ...(options.modules ?? []));
  container.bind(EngineOptions).toConstantValue({ connection: config.connection, defaultMode: config.mode });
  let store: UserStore | undefined;
  let connector: Connector | undefined;
  try {
    if (!options.withoutStore) {
      if (!container.isBound(UserStore)) container.bind(UserStore).toConstantValue(openStore(config.store, baseDir));
      store = container.get(UserStore);
      await store.migrate();
    }
    if (!options.withoutConnector) {
      connector = await createConnector(container, options, logger);
      container.bind(Connector).toConstantValue(connector);
    }
  } catch (err) {
    await store?.close();
    throw err;
  }
  container.bind(MigrationEngine).toSelf().inSingletonScope();
  let engine: MigrationEngine | undefined;
  return {
    container,
    config,
    logger,
    get store(): UserStore {
      if (store === undefined) throw new FerryError('runtime_without_store', 'internal', 'This command was started without the store.');
      return store;
    },
    connector,
    sourceRecipe: connector !== undefined && options.modules === undefined ? sourceRecipe(config, baseDir) : undefined,
    engine: () => (engine ??= container.get(MigrationEngine)),
    async close() {
      await engine?.drain();
      await connector?.close?.();
      await store?.close();
    },
  };
}

async function createConnector(container: Container, options: RuntimeOptions, logger: Logger): Promise<Connector> {
  const { config, baseDir } = options;
  await loadConnectorPackage(container, config.connector, baseDir);
  const def = pickDefinition(container, config.connector.id, baseDir);
  const connectorConfig = validateConfig<typeof config.connector.config>(def.configSchema, config.connector.config, 'ferry.yaml', 'connector.config');
  for (const key of secretPaths(def.configSchema, 'connector.config')) {
    if (options.fromEnv && !options.fromEnv.has(key) && getPath(config, key) !== undefined) {
      logger.warn({ key }, 'a secret is written in clear in ferry.yaml; use ${ENV_VAR} interpolation instead');
    }
  }
  const context: ConnectorContext = {
    logger: logger.child({ connector: def.id }),
    hashing: container.get(PasswordHashing),
    http: container.get(HttpClientFactory),
    baseDir,
  };
  return def.create(connectorConfig, context);
}

function getPath(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}
