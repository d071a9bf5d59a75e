/**
 * `@ferry/connector-gigya`: migrate users off Gigya (SAP Customer Data Cloud) by trickle
 * login (accounts.login), lookups (accounts.search), and bulk export with password
 * hashes through search cursors or IdentitySync files.
 */
import { ConnectorDefinition } from '@ferry/core';
import { ContainerModule } from 'inversify';
import { createGigyaConnector } from './gigya-connector';
import { type GigyaConfig, GIGYA_CONFIG_SCHEMA, GIGYA_CONFIG_TEMPLATE } from './gigya-config';

export { createGigyaConnector, toRecord, FILE_PAGE_SIZE } from './gigya-connector';
export { DEFAULT_BASE_URL, GIGYA_CONFIG_SCHEMA, GIGYA_DATA_CENTERS, type GigyaAuthMode, type GigyaConfig, type GigyaIdentitySyncConfig } from './gigya-config';
export { mapAccount, type AccountMapperOptions } from './account-mapper';
export { importPassword, type PasswordImport } from './password-import';
export { GIGYA_CODES, LOGIN_FAILURES, LOGIN_PASSWORD_RIGHT, type GigyaEnvelope } from './gigya-errors';
export { emailQuery, exportQuery, quote } from './gigya-query';
export { gigyaSignature, signatureBaseString } from './gigya-signature';
export { CURSOR_TTL_MS, type SearchCheckpoint } from './cursor-export';
export { JsonRecordSplitter, type SplitElement } from './json-record-splitter';
export { readSyncFile, type FileCheckpoint } from './identity-sync-files';
export type { GigyaAccount, GigyaPassword } from './gigya-account';

/** The Gigya connector definition (`connector.id: gigya`). */
export const definition: ConnectorDefinition<GigyaConfig> = {
  id: 'gigya',
  description: 'Gigya / SAP Customer Data Cloud (accounts.login, accounts.search cursors, IdentitySync files)',
  configSchema: GIGYA_CONFIG_SCHEMA,
  configTemplate: GIGYA_CONFIG_TEMPLATE,
  create: (config, context) => createGigyaConnector(config, context),
};

/** Binds {@link definition} to the core's `ConnectorDefinition` token. */
export const connectorModule = new ContainerModule((o) => {
  o.bind(ConnectorDefinition).toConstantValue(definition as unknown as ConnectorDefinition);
});
