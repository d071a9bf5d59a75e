/**
 * `@ferry/connector-stormpath`: migrate users off Stormpath (or a Stormpath-compatible
 * API) by trickle login, lookups, and bulk export from the API or an export directory.
 */
import { ConnectorDefinition } from '@ferry/core';
import { ContainerModule } from 'inversify';
import { createStormpathConnector } from './stormpath-connector';
import { type StormpathConfig, stormpathConfigSchema, stormpathConfigTemplate } from './stormpath-config';

export { createStormpathConnector } from './stormpath-connector';
export { DEFAULT_BASE_URL, type StormpathConfig, stormpathConfigSchema } from './stormpath-config';
export { mapAccount, type AccountMapperOptions } from './account-mapper';
export { importPassword, type PasswordImport } from './password-import';
export { LOGIN_FAILURES } from './login-errors';
export type { StormpathAccount } from './stormpath-account';

/** The Stormpath connector definition (`connector.id: stormpath`). */
export const definition: ConnectorDefinition<StormpathConfig> = {
  id: 'stormpath',
  description: 'Stormpath API (loginAttempts, accounts) and Stormpath export directories',
  configSchema: stormpathConfigSchema,
  configTemplate: stormpathConfigTemplate,
  create: (config, context) => createStormpathConnector(config, context),
};

/** Binds {@link definition} to the core's `ConnectorDefinition` token. */
export const connectorModule = new ContainerModule((o) => {
  o.bind(ConnectorDefinition).toConstantValue(definition as unknown as ConnectorDefinition);
});
