/** Shared setup for the Stormpath connector tests: a context with a captured log, and config for a fake. */
import { PassThrough } from 'node:stream';
import { type Connector, type ConnectorContext, createLogger, DefaultHttpClientFactory, type HttpClientFactory, PasswordHashingService, validateConfig } from '@ferry/core';
import type { FakeStormpath } from '@ferry/testkit';
import { createStormpathConnector, definition, type StormpathConfig } from '../src';

/** A context whose log lines (level trace) are collected in `logs()`. */
export function testContext(baseDir = process.cwd()): ConnectorContext & { logs(): string } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  const logger = createLogger({ level: 'trace', destination: stream });
  return { logger, hashing: new PasswordHashingService(), baseDir, logs: () => chunks.join(''), http: fastHttp({ logger }) };
}

/** Validated config (defaults filled) for `fake`, with overrides. */
export function fakeConfig(fake: FakeStormpath, overrides: Partial<StormpathConfig> = {}): StormpathConfig {
  return validateConfig<StormpathConfig>(
    definition.configSchema,
    { baseUrl: fake.url, applicationId: fake.applicationId, apiKeyId: fake.apiKeyId, apiKeySecret: fake.apiKeySecret, ...overrides },
    'test config',
  );
}

/** The core's HTTP client factory with quick retries (tests of transient failures). */
export function fastHttp(context: Pick<ConnectorContext, 'logger'>): HttpClientFactory {
  const inner = new DefaultHttpClientFactory(context.logger);
  return { create: (options = {}) => inner.create({ ...options, retries: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 }, timeoutMs: 2000 }) };
}

/** A connector against `fake` with quick retries. */
export function connectFake(fake: FakeStormpath, context: ConnectorContext, overrides: Partial<StormpathConfig> = {}): Connector {
  return createStormpathConnector(fakeConfig(fake, overrides), context);
}
