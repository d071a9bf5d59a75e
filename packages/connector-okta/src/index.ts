/**
 * `@ferry/connector-okta`: migrate users off Okta. Passwords are checked with
 * `/api/v1/authn` (or the password grant), profiles read from the Users API.
 */
import { ConnectorDefinition } from '@ferry/core';
import { ContainerModule } from 'inversify';
import { OKTA_CONFIG_SCHEMA, OKTA_CONFIG_TEMPLATE, type OktaConfig } from './okta-config';
import { createOktaConnector } from './okta-connector';

export type { OktaConfig, OktaEmailVerified, OktaLoginFlow, OktaPasswordGrantConfig } from './okta-config';
export { OKTA_CONFIG_SCHEMA, OKTA_CONFIG_TEMPLATE } from './okta-config';
export type { OktaUser, OktaUserStatus, ProfileMapping } from './okta-profile';
export { toUserProfile } from './okta-profile';
export { createOktaConnector } from './okta-connector';

/** The Okta connector definition (`connector.id: okta`). */
export const definition: ConnectorDefinition<OktaConfig> = {
  id: 'okta',
  description: 'Okta org (Classic authn or password grant; Users API for profiles and export)',
  configSchema: OKTA_CONFIG_SCHEMA,
  configTemplate: OKTA_CONFIG_TEMPLATE,
  create: createOktaConnector,
};

/** Binds {@link definition} to the `ConnectorDefinition` token. */
export const connectorModule = new ContainerModule((o) => {
  o.bind(ConnectorDefinition).toConstantValue(definition as unknown as ConnectorDefinition);
});
