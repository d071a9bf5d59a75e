/**
 * Wraps the live connector for `ferry serve`: every legacy call is timed into metrics,
 * bounded by a deadline (so a hung legacy source answers 503, not a 20 s script
 * timeout), and remembered for `/readyz`.
 */
import type { Connector } from '../contracts/connector';
import { FerryError, TransientError } from '../errors';
import type { ServeMetrics } from './serve-metrics';

/** The last thing legacy did, for `/readyz`. */
export interface LegacyHealth {
  lastOkAt?: number;
  lastErrorAt?: number;
  lastErrorCode?: string;
}

/** A connector whose calls are measured and bounded; `health` tracks the latest result. */
export function instrumentConnector(connector: Connector, metrics: ServeMetrics, timeoutMs: number, health: LegacyHealth): Connector {
  const wrap = <A extends unknown[], R>(call: string, fn: ((...args: A) => Promise<R>) | undefined) => {
    if (fn === undefined) return undefined;
    const bound = fn.bind(connector);
    return async (...args: A): Promise<R> => {
      const stop = metrics.legacyDuration.startTimer({ call });
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new TransientError('legacy_timeout', `The legacy source did not answer ${call} within ${timeoutMs} ms.`, { hint: 'Check the legacy source; raise serve.legacyTimeoutMs only below the caller\'s own limit.' })),
          timeoutMs,
        );
      });
      try {
        const out = await Promise.race([bound(...args), deadline]);
        stop({ result: 'ok' });
        health.lastOkAt = Date.now();
        return out;
      } catch (err) {
        const code = err instanceof FerryError ? err.code : 'legacy_unavailable';
        stop({ result: 'error' });
        metrics.legacyErrors.inc({ call, code });
        if (!(err instanceof FerryError) || err.errorClass === 'transient') {
          health.lastErrorAt = Date.now();
          health.lastErrorCode = code;
        }
        throw err;
      } finally {
        clearTimeout(timer);
      }
    };
  };
  const out: Connector = { id: connector.id };
  const login = wrap('login', connector.login);
  const getByEmail = wrap('getByEmail', connector.getByEmail);
  const markMigrated = wrap('markMigrated', connector.markMigrated);
  if (login) out.login = login;
  if (getByEmail) out.getByEmail = getByEmail;
  if (markMigrated) out.markMigrated = markMigrated;
  if (connector.exportUsers) out.exportUsers = connector.exportUsers.bind(connector);
  if (connector.close) out.close = connector.close.bind(connector);
  return out;
}
