/**
 * {@link ArraySource} as a connector package (test code): what a bulk run's reading thread
 * loads from `connector.package` to rebuild the source in another thread. The worker
 * needs the SWC hook (ts-register.js) in its process to load this file.
 */
import { ContainerModule } from 'inversify';
import { ConnectorDefinition, DataError, type Connector, type FerryConfig } from '../../src';
import { ArraySource, syntheticUsers } from './synthetic-source';

interface SyntheticConfig {
  count: number;
  pageSize?: number;
  /** Throw a DataError when this page is reached (tests of errors crossing threads). */
  failAtPage?: number;
}

class SyntheticConnector extends ArraySource implements Connector {
  constructor(private readonly config: SyntheticConfig) {
    super(syntheticUsers(config.count), config.pageSize ?? 250);
  }

  override async *exportUsers(options: Parameters<ArraySource['exportUsers']>[0]): ReturnType<ArraySource['exportUsers']> {
    let page = 0;
    for await (const p of super.exportUsers(options)) {
      if (this.config.failAtPage !== undefined && page === this.config.failAtPage) {
        throw new DataError('legacy_row_broken', `Page ${page} of the synthetic source is broken.`, { hint: 'Fix the synthetic source.' });
      }
      page += 1;
      yield p;
    }
  }
}

export const connectorModule = new ContainerModule((options) => {
  options.bind(ConnectorDefinition).toConstantValue({
    id: 'synthetic',
    description: 'Generated users (tests).',
    configSchema: {
      type: 'object',
      additionalProperties: false,
      required: ['count'],
      properties: { count: { type: 'integer' }, pageSize: { type: 'integer' }, failAtPage: { type: 'integer' } },
    },
    create: (config) => new SyntheticConnector(config as unknown as SyntheticConfig),
  } as ConnectorDefinition);
});

/** A ferry.yaml (as an object) whose connector is this file. */
export function syntheticConfig(config: SyntheticConfig): FerryConfig {
  return {
    store: 'sqlite::memory:',
    connection: 'legacy',
    mode: 'import',
    log: { level: 'warn' },
    connector: { id: 'synthetic', package: __filename, config: config as unknown as FerryConfig['connector']['config'] },
  };
}
