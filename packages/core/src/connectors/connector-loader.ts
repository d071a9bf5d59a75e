/**
 * Finds connector packages and loads their inversify `ContainerModule`s. A connector
 * can be an installed package (`@ferry/connector-okta`, or one added with
 * `ferry plugins install`) or a local JavaScript file of a team's own.
 */
import { existsSync, readdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { Container, ContainerModule } from 'inversify';
import { ConnectorDefinition } from '../contracts/connector';
import { ConfigError } from '../errors';
import type { ConnectorConfig } from '../config/ferry-config';

/** What a connector package must export. */
export interface ConnectorPackageExports {
  /** Binds the package's {@link ConnectorDefinition} (multi-injection). */
  connectorModule: ContainerModule;
}

/** Extra directories to search for connector packages (e.g. the CLI's plugin directory). */
export const connectorSearchPaths: string[] = [];

/** Packages known by name to live in a directory (e.g. added with `ferry plugins install|link`). */
export const connectorPackageRoots = new Map<string, string>();

function searchPaths(baseDir: string): string[] {
  return [baseDir, process.cwd(), ...connectorSearchPaths, __dirname];
}

function isContainerModule(value: unknown): value is ContainerModule {
  return typeof value === 'object' && value !== null && typeof (value as { load?: unknown }).load === 'function';
}

function isLocalPath(spec: string): boolean {
  return spec.startsWith('.') || isAbsolute(spec);
}

/** Installed `@ferry/connector-*` packages visible from `baseDir`, by id. */
export function installedConnectorIds(baseDir: string): string[] {
  const ids = new Set<string>();
  for (const name of connectorPackageRoots.keys()) if (name.startsWith('@ferry/connector-')) ids.add(name.slice('@ferry/connector-'.length));
  for (const start of searchPaths(baseDir)) {
    let dir = resolve(start);
    for (;;) {
      const scope = join(dir, 'node_modules', '@ferry');
      if (existsSync(scope)) {
        for (const name of readdirSync(scope)) if (name.startsWith('connector-')) ids.add(name.slice('connector-'.length));
      }
      const parent = resolve(dir, '..');
      if (parent === dir) break;
      dir = parent;
    }
  }
  return [...ids].sort();
}

/** Load the module of the configured connector into `container`. */
export async function loadConnectorPackage(container: Container, connector: ConnectorConfig, baseDir: string): Promise<void> {
  const spec = connector.package ?? `@ferry/connector-${connector.id}`;
  let resolved: string;
  try {
    const root = connectorPackageRoots.get(spec);
    if (isLocalPath(spec)) resolved = require.resolve(resolve(baseDir, spec));
    else if (root !== undefined) resolved = require.resolve(root);
    else resolved = require.resolve(spec, { paths: searchPaths(baseDir) });
  } catch {
    if (connector.package === undefined && container.isBound(ConnectorDefinition)) return; // bound already (tests, embedding apps)
    const available = installedConnectorIds(baseDir);
    throw new ConfigError('connector_not_found', `Connector '${connector.id}' is not installed (looked for '${spec}').`, {
      hint: isLocalPath(spec)
        ? `Check the path in connector.package (relative to ferry.yaml's directory ${baseDir}).`
        : `Install it (e.g. 'npm install ${spec}' or 'ferry plugins install ${spec}'). Installed connectors: ${available.join(', ') || 'none'}.`,
      details: { connector: connector.id, available },
    });
  }
  // Connectors are CommonJS packages or plain .js files resolved at run time.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = require(resolved) as Partial<ConnectorPackageExports> & { default?: Partial<ConnectorPackageExports> };
  const mod = exported.connectorModule ?? exported.default?.connectorModule;
  if (!isContainerModule(mod)) {
    throw new ConfigError('connector_invalid', `'${spec}' does not export a connectorModule (an inversify ContainerModule).`, {
      hint: 'A connector package exports `connectorModule` binding its definition to ConnectorDefinition; see "Writing a connector" in the README.',
    });
  }
  await container.load(mod);
}

/** The definition with `id` among those bound, or a ConfigError listing what is available. */
export function pickDefinition(container: Container, id: string, baseDir: string): ConnectorDefinition {
  const defs = container.isBound(ConnectorDefinition) ? container.getAll(ConnectorDefinition) : [];
  const def = defs.find((d) => d.id === id);
  if (def) return def;
  const available = [...new Set([...defs.map((d) => d.id), ...installedConnectorIds(baseDir)])].sort();
  throw new ConfigError('connector_unknown', `No connector with id '${id}'.`, {
    hint: `Available connectors: ${available.join(', ') || 'none installed'}. Set connector.id in ferry.yaml to one of them.`,
    details: { connector: id, available },
  });
}
