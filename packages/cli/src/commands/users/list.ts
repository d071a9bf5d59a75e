import { Flags } from '@oclif/core';
import { USER_ORIGINS, type StoredUser, type UserOrigin } from '@ferry/core';
import { FerryCommand } from '../../ferry-command';
import { userLine } from '../../format';

export default class UsersList extends FerryCommand {
  static override summary = "List users in Ferry's store, ordered by user_id.";
  static override examples = ['<%= config.bin %> users list', '<%= config.bin %> users list --origin bulk --limit 100 --after legacy-0042'];
  static override flags = {
    limit: Flags.integer({ summary: 'How many users to show.', default: 50, min: 1, max: 10000 }),
    after: Flags.string({ summary: 'Show users whose user_id sorts after this one (paging).' }),
    origin: Flags.string({ summary: 'Only users that arrived this way.', options: [...USER_ORIGINS] }),
  };

  async run(): Promise<{ users: StoredUser[]; next?: string }> {
    const { flags } = await this.parse(UsersList);
    return this.withRuntime(flags.config, { withoutConnector: true }, async (rt) => {
      const users = await rt.store.listUsers({
        connection: rt.config.connection,
        limit: flags.limit,
        ...(flags.after === undefined ? {} : { after: flags.after }),
        ...(flags.origin === undefined ? {} : { origin: flags.origin as UserOrigin }),
      });
      for (const u of users) this.say(userLine(u));
      const last = users.length === flags.limit ? users[users.length - 1]?.profile.user_id : undefined;
      if (last !== undefined) this.say(`… more: --after ${last}`);
      return { users, ...(last === undefined ? {} : { next: last }) };
    });
  }
}
