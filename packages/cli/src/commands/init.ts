import { existsSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Flags } from '@oclif/core';
import { ConfigError, configTemplate } from '@ferry/core';
import { FerryCommand } from '../ferry-command';

export default class Init extends FerryCommand {
  static override summary = 'Write a commented ferry.yaml for a connector.';
  static override examples = ['<%= config.bin %> init --connector sql', '<%= config.bin %> init --connector okta --config ./okta/ferry.yaml'];
  static override flags = {
    connector: Flags.string({ summary: "The connector's id, e.g. sql.", required: true }),
    package: Flags.string({ summary: 'Where the connector comes from, if not @ferry/connector-<id> (a package or a ./path.js).' }),
    force: Flags.boolean({ summary: 'Overwrite an existing file.' }),
  };

  async run(): Promise<{ path: string; connector: string }> {
    const { flags } = await this.parse(Init);
    const path = resolve(flags.config);
    if (existsSync(path) && !flags.force) {
      throw new ConfigError('config_exists', `${path} already exists.`, { hint: 'Pass --force to overwrite it, or --config <other path>.' });
    }
    const text = await configTemplate({ id: flags.connector, ...(flags.package === undefined ? {} : { package: flags.package }) }, dirname(path));
    writeFileSync(path, text, { flag: flags.force ? 'w' : 'wx', mode: 0o600 });
    this.say(`wrote ${path}`);
    this.say("Next: fill in the connector section, then 'ferry try login <identifier>'.");
    return { path, connector: flags.connector };
  }
}
