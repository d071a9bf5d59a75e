/**
 * Shared test wiring: a ConnectorContext with a real HTTP client factory and a logger
 * whose lines tests can read, and a validated config (defaults filled by the core).
 */
import { Writable } from 'node:stream';
import { type ConnectorContext, createLogger, DefaultHttpClientFactory, type PasswordHashing, validateConfig } from '@ferry/core';
import { OKTA_CONFIG_SCHEMA, type OktaConfig } from '../src';

/** A context whose log lines (every level) land in `lines`. */
export function testContext(): { context: ConnectorContext; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  // The production logger (with its redaction), at its most verbose.
  const logger = createLogger({ level: 'trace', destination: sink });
  const context: ConnectorContext = {
    logger,
    hashing: {} as PasswordHashing,
    http: new DefaultHttpClientFactory(logger),
    baseDir: process.cwd(),
  };
  return { context, lines };
}

/** Validate a raw Okta config as the runtime would. */
export function oktaConfig(raw: Record<string, unknown>): OktaConfig {
  return validateConfig<OktaConfig>(OKTA_CONFIG_SCHEMA, structuredClone(raw), 'connector.config');
}
