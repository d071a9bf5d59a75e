/**
 * The commented ferry.yaml that `ferry init` writes for a connector.
 */
import { Container } from 'inversify';
import { loadConnectorPackage, pickDefinition } from '../connectors/connector-loader';
import { secretPaths } from './validate';

/** Build a commented ferry.yaml for the connector `id` (loaded to read its template). */
export async function configTemplate(connector: { id: string; package?: string }, baseDir: string): Promise<string> {
  const container = new Container();
  await loadConnectorPackage(container, { ...connector, config: {} }, baseDir);
  const def = pickDefinition(container, connector.id, baseDir);
  const secrets = secretPaths(def.configSchema);
  const body = (def.configTemplate ?? '{}').trimEnd().split('\n').map((l) => `    ${l}`).join('\n');
  return `# ferry.yaml — ${def.description}
# Values may use \${ENV_VAR} (or \${ENV_VAR:-default}); keep secrets in the environment.

# Ferry's own user store. The embedded default is an SQLite file next to this config.
store: sqlite:./ferry.db

# The store connection this legacy source's users belong to.
connection: default

# import (migrate on login / password reset), proxy (legacy stays the source of truth),
# or disconnected (migration done). 'ferry mode' overrides this for every process.
mode: import

connector:
  id: ${def.id}
${connector.package === undefined ? '' : `  package: ${connector.package}\n`}  config:
${body}
${secrets.length ? `# Secrets of this connector (set them through the environment): ${secrets.join(', ')}\n` : ''}
log:
  level: warn
`;
}
