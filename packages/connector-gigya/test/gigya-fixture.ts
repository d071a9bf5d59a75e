/** Shared setup for the Gigya connector tests: a context with a captured log, and config for a fake. */
import { PassThrough } from 'node:stream';
import { type Connector, type ConnectorContext, createLogger, DefaultHttpClientFactory, type ExportPage, type HttpClientFactory, type JsonValue, PasswordHashingService, validateConfig } from '@ferry/core';
import type { FakeGigya } from '@ferry/testkit';
import { createGigyaConnector, definition, type GigyaConfig } from '../src';

/** A context whose log lines (level trace) are collected in `logs()`. */
export function testContext(baseDir = process.cwd()): ConnectorContext & { logs(): string } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  const logger = createLogger({ level: 'trace', destination: stream });
  return { logger, hashing: new PasswordHashingService(), baseDir, logs: () => chunks.join(''), http: fastHttp({ logger }) };
}

/** The core's HTTP client factory with quick retries. */
export function fastHttp(context: Pick<ConnectorContext, 'logger'>): HttpClientFactory {
  const inner = new DefaultHttpClientFactory(context.logger);
  return { create: (options = {}) => inner.create({ ...options, retries: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 }, timeoutMs: 2000 }) };
}

type Overrides = Omit<Partial<GigyaConfig>, 'retries' | 'export'> & { retries?: Partial<GigyaConfig['retries']>; export?: Partial<GigyaConfig['export']> };

/** Validated config (defaults filled) for `fake`, with quick envelope retries and overrides. */
export function fakeConfig(fake: FakeGigya | undefined, overrides: Overrides = {}): GigyaConfig {
  const api = fake === undefined ? {} : { baseUrl: fake.baseUrl, dataCenter: fake.dataCenter, apiKey: fake.apiKey, userKey: fake.userKey, secret: fake.secret };
  return validateConfig<GigyaConfig>(definition.configSchema, { ...api, retries: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 }, ...overrides }, 'test config');
}

/** A connector against `fake`. */
export function connectFake(fake: FakeGigya, context: ConnectorContext = testContext(), overrides: Overrides = {}): Connector {
  return createGigyaConnector(fakeConfig(fake, overrides), context);
}

/** Every page of an export from `checkpoint`. */
export async function collect(connector: Connector, checkpoint?: JsonValue): Promise<ExportPage[]> {
  const pages: ExportPage[] = [];
  for await (const page of connector.exportUsers!(checkpoint === undefined ? {} : { checkpoint })) pages.push(page);
  return pages;
}
