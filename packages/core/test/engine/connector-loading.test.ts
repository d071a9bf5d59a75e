import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, createRuntime, PasswordHashing, type FerryConfig } from '../../src';
import { makeHarness } from '../support/engine-harness';

const base = (dir: string, connector: FerryConfig['connector']): FerryConfig => ({
  store: `sqlite:${join(dir, 'ferry.db')}`,
  connection: 'default',
  mode: 'import',
  connector,
  log: { level: 'silent' },
});

describe('connector loading', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-load-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const logger = createLogger({ level: 'silent' });

  it('loads a connector from a local file path relative to ferry.yaml, validating its config', async () => {
    const fixtures = join(__dirname, '..', 'fixtures');
    const rt = await createRuntime({ config: { ...base(dir, { id: 'local-file', package: './local-connector.js', config: { greeting: 'hi' } }) }, baseDir: fixtures, logger });
    try {
      expect(rt.connector?.id).toBe('local-file');
      expect(await rt.engine().login('local@example.com', 'local-pw')).toEqual(expect.objectContaining({ ok: true, migrated: true }));
    } finally {
      await rt.close();
    }
    await expect(
      createRuntime({ config: base(dir, { id: 'local-file', package: './local-connector.js', config: {} }), baseDir: fixtures, logger }),
    ).rejects.toMatchObject({ code: 'config_invalid', message: expect.stringContaining('connector.config.greeting: is required') });
  });

  it('names a missing local file and an unknown connector id with what is available', async () => {
    await expect(createRuntime({ config: base(dir, { id: 'x', package: './nope.js', config: {} }), baseDir: dir, logger })).rejects.toMatchObject({
      code: 'connector_not_found',
    });
    await expect(createRuntime({ config: base(dir, { id: 'no-such-connector', config: {} }), baseDir: dir, logger })).rejects.toMatchObject({
      code: 'connector_not_found',
      hint: expect.stringContaining('Installed connectors:'),
    });
  });
});

describe('timing of unknown users', () => {
  it('spends a dummy verify on an unknown user when no legacy call is made', async () => {
    const h = await makeHarness({ mode: 'disconnected' });
    try {
      const hashing = h.runtime.container.get(PasswordHashing);
      const verify = jest.spyOn(hashing, 'verify');
      expect(await h.runtime.engine().login('ghost@example.com', 'whatever')).toEqual({ ok: false, reason: 'invalid_credentials' });
      expect(verify).toHaveBeenCalledTimes(1);
      expect(h.legacy.calls.login).toBe(0);
    } finally {
      await h.cleanup();
    }
  });
});
