/**
 * The login gate pads failed logins to the failure floor, and only those: a successful
 * login is answered as soon as the backend is done.
 */
import type { EngineLoginResult } from '../../src/engine/engine-types';
import type { FailureFloor } from '../../src/server/failure-floor';
import { LoginGate } from '../../src/server/login-gate';
import type { ServeBackend } from '../../src/server/serve-backend';
import { resolveServeConfig } from '../../src/server/serve-config';
import { ServeMetrics } from '../../src/server/serve-metrics';

function gate(result: EngineLoginResult) {
  const padded: number[] = [];
  const floor = { pad: async (elapsedMs: number) => void padded.push(elapsedMs) } as unknown as FailureFloor;
  const backend = { kind: 'engine', login: async () => result } as unknown as ServeBackend;
  const config = resolveServeConfig({ auth: { apiKeys: [{ name: 'k', key: 'k'.repeat(24) }] } });
  return { gate: new LoginGate(config, backend, new ServeMetrics({ processMetrics: false }), floor), padded };
}

const principal = { client: 'abc@clients', kind: 'jwt' as const, scopes: new Set<string>() };

describe('LoginGate and the failure floor', () => {
  it('does not pad a successful login', async () => {
    const { gate: g, padded } = gate({ ok: true, profile: { user_id: 'u1', email: 'a@example.com' }, source: 'store', migrated: false });
    const r = await g.login(principal, 'a@example.com', 'pw', 'v1');
    expect(r).toMatchObject({ throttled: false, result: { ok: true } });
    expect(padded).toEqual([]);
  });

  it('pads a wrong password or unknown user', async () => {
    const { gate: g, padded } = gate({ ok: false, reason: 'invalid_credentials' });
    const r = await g.login(principal, 'a@example.com', 'pw', 'v1');
    expect(r).toMatchObject({ throttled: false, result: { ok: false, reason: 'invalid_credentials' } });
    expect(padded).toHaveLength(1);
  });
});
