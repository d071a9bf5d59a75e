import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PasswordHashing, createLogger, createRuntime, loadConfig } from '../../src';

// glibc's sha512-crypt test vector (crypt-sha512 specification by Ulrich Drepper): rounds=10000, "Hello world!".
const SHA512_10000 = '$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.';

describe('hashing.limits in ferry.yaml', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-hash-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const runtimeFor = async (yaml: string) => {
    writeFileSync(join(dir, 'ferry.yaml'), yaml);
    const loaded = loadConfig(join(dir, 'ferry.yaml'));
    return createRuntime({ config: loaded.config, baseDir: loaded.baseDir, fromEnv: loaded.fromEnv, withoutConnector: true, logger: createLogger({ level: 'silent' }) });
  };

  it('applies the configured limits to every verification, and the defaults otherwise', async () => {
    const strict = await runtimeFor('store: sqlite:./ferry.db\nconnector: { id: sql }\nhashing:\n  limits:\n    maxCryptRounds: 5000\n');
    try {
      await expect(strict.container.get(PasswordHashing).verify(SHA512_10000, 'Hello world!')).rejects.toMatchObject({
        code: 'hash_cost_too_high',
        message: expect.stringContaining('maxCryptRounds'),
      });
    } finally {
      await strict.close();
    }
    const usual = await runtimeFor('store: sqlite:./ferry.db\nconnector: { id: sql }\n');
    try {
      expect(await usual.container.get(PasswordHashing).verify(SHA512_10000, 'Hello world!')).toEqual({ match: true, scheme: 'sha512-crypt' });
    } finally {
      await usual.close();
    }
  });

  it('names an unknown or invalid limit', async () => {
    writeFileSync(join(dir, 'ferry.yaml'), 'connector: { id: sql }\nhashing: { limits: { maxRounds: 5 } }\n');
    expect(() => loadConfig(join(dir, 'ferry.yaml'))).toThrow(/hashing\.limits/);
    writeFileSync(join(dir, 'ferry.yaml'), 'connector: { id: sql }\nhashing: { limits: { maxCryptRounds: 0 } }\n');
    expect(() => loadConfig(join(dir, 'ferry.yaml'))).toThrow(/hashing\.limits\.maxCryptRounds/);
  });
});
