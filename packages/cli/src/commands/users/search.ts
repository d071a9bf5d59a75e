import { Args, Flags } from '@oclif/core';
import type { StoredUser } from '@ferry/core';
import { FerryCommand } from '../../ferry-command';
import { userLine } from '../../format';

export default class UsersSearch extends FerryCommand {
  static override summary = 'Find users whose id, email, username or name contains the text (case-insensitive).';
  static override examples = ['<%= config.bin %> users search smith', '<%= config.bin %> users search @example.org --json'];
  static override args = { text: Args.string({ description: 'Text to look for', required: true }) };
  static override flags = { limit: Flags.integer({ summary: 'How many users to show.', default: 50, min: 1, max: 10000 }) };

  async run(): Promise<{ users: StoredUser[] }> {
    const { args, flags } = await this.parse(UsersSearch);
    return this.withRuntime(flags.config, { withoutConnector: true }, async (rt) => {
      const users = await rt.store.listUsers({ connection: rt.config.connection, search: args.text, limit: flags.limit });
      for (const u of users) this.say(userLine(u));
      if (users.length === 0) this.say('no users match');
      return { users };
    });
  }
}
