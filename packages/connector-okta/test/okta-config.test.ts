/**
 * The config schema and the `ferry init` template: the template parses and validates,
 * defaults are filled, mistakes are named.
 */
import { parseConfig, secretPaths, validateConfig } from '@ferry/core';
import { definition, OKTA_CONFIG_SCHEMA, type OktaConfig } from '../src';

const indent = (text: string) => text.split('\n').map((l) => `    ${l}`).join('\n');

describe('okta config', () => {
  it('the init template is valid once its variables are set', () => {
    const yaml = `connector:\n  id: okta\n  config:\n${indent(definition.configTemplate ?? '')}\n`;
    const { config } = parseConfig(yaml, 'ferry.yaml', { OKTA_API_TOKEN: 't' });
    const okta = validateConfig<OktaConfig>(OKTA_CONFIG_SCHEMA, config.connector.config, 'connector.config');
    expect(okta).toMatchObject({ loginFlow: 'authn', emailVerified: 'activated', export: { pageSize: 200 }, maxConcurrency: 16, lookupByEmailFilter: true });
  });

  it('marks the API token and client secret as secrets', () => {
    expect(secretPaths(OKTA_CONFIG_SCHEMA).sort()).toEqual(['apiToken', 'passwordGrant.clientSecret']);
  });

  it('names what is wrong', () => {
    expect(() => validateConfig(OKTA_CONFIG_SCHEMA, { orgUrl: 'https://acme.okta.com/oauth2/default', apiToken: 't', export: { pageSize: 500 } }, 'connector.config')).toThrow(
      /orgUrl: does not have the expected form[\s\S]*export\.pageSize/,
    );
  });
});
