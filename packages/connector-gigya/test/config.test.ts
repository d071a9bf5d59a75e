/** Config: the init template validates, secrets are marked, and missing sources are named. */
import { validateConfig } from '@ferry/core';
import { createGigyaConnector, definition, type GigyaConfig } from '../src';
import { testContext } from './gigya-fixture';

/** The template's flat `key: value  # comment` lines (no YAML library in this package). */
function flatYaml(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z]+):\s*(.*?)\s*(#.*)?$/.exec(line);
    if (m) out[m[1]!] = m[2] === '[]' ? [] : m[2];
  }
  return out;
}

it('the ferry init template validates once the variables are filled in', () => {
  const text = definition.configTemplate!.replace(/\$\{GIGYA_[A-Z_]+\}/g, 'x');
  expect(flatYaml(text)).toEqual({ dataCenter: 'us1.gigya.com', apiKey: 'x', userKey: 'x', secret: 'x', auth: 'secret', appMetadataKeys: [] });
  const config = validateConfig<GigyaConfig>(definition.configSchema, flatYaml(text), 'template');
  expect(config).toMatchObject({ dataCenter: 'us1.gigya.com', baseUrl: 'https://accounts.{dataCenter}', auth: 'secret', export: { batchSize: 1000 }, retries: { maxAttempts: 4 } });
});

it('marks the secret, and only the secret, as x-secret', () => {
  const props = definition.configSchema.properties as Record<string, { 'x-secret'?: boolean }>;
  expect(Object.keys(props).filter((k) => props[k]?.['x-secret'])).toEqual(['secret']);
});

it('refuses partial keys and a config with nothing to read', () => {
  expect(() => validateConfig(definition.configSchema, { apiKey: 'k' }, 'gigya')).toThrow(/userKey|secret/);
  expect(() => validateConfig(definition.configSchema, { dataCenter: 'us1.example.com' }, 'gigya')).toThrow(/dataCenter/);
  const empty = validateConfig<GigyaConfig>(definition.configSchema, {}, 'gigya');
  expect(() => createGigyaConnector(empty, testContext())).toThrow(expect.objectContaining({ code: 'gigya_nothing_to_read' }));
});

it('a files-only connector offers exportUsers and nothing that needs the API', () => {
  const c = createGigyaConnector(validateConfig<GigyaConfig>(definition.configSchema, { identitySync: { files: ['a.json'] } }, 'gigya'), testContext());
  expect(Object.keys(c).sort()).toEqual(['exportUsers', 'id']);
});
