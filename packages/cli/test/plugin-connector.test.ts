/**
 * A connector added with `ferry plugins link` (the same registry `ferry plugins install`
 * fills) is found by connector id.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ferry } from './run-cli';

const CONNECTOR = `
// Resolves inversify from the running ferry binary, as a peer dependency would.
const { ContainerModule } = require(require.resolve('inversify', { paths: [process.argv[1]] }));
const definition = {
  id: 'acme', description: 'ACME (plugin test)', configSchema: { type: 'object' },
  create() { return { id: 'acme', async getByEmail(email) { return email === 'a@acme.test' ? { user_id: 'acme-1', email } : null; } }; },
};
exports.connectorModule = new ContainerModule((o) => o.bind(Symbol.for('@ferry/core/ConnectorDefinition')).toConstantValue(definition));
`;

describe('connectors added with ferry plugins', () => {
  it('finds a linked connector package by its id', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ferry-plugin-'));
    try {
      const pkg = join(root, 'connector-acme');
      mkdirSync(pkg);
      writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: '@ferry/connector-acme', version: '0.0.1', main: 'index.js', oclif: {} }));
      writeFileSync(join(pkg, 'index.js'), CONNECTOR);
      writeFileSync(join(root, 'ferry.yaml'), 'store: sqlite:./ferry.db\nconnector:\n  id: acme\n');
      const env = { XDG_DATA_HOME: join(root, 'data') };
      const before = await ferry(['try', 'get-user', 'a@acme.test'], { cwd: root, env });
      expect(before.code).toBe(2);
      expect(before.stderr).toContain('ferry plugins install');
      const link = await ferry(['plugins', 'link', pkg, '--no-install'], { cwd: root, env });
      expect(link.code).toBe(0);
      const after = await ferry(['try', 'get-user', 'a@acme.test', '--json'], { cwd: root, env });
      expect(after.code).toBe(0);
      expect(after.json()).toEqual({ found: true, profile: { user_id: 'acme-1', email: 'a@acme.test' } });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
