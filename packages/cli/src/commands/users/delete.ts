import { Args, Flags } from '@oclif/core';
import { ConfigError } from '@ferry/core';
import { EXIT_NEGATIVE } from '../../exit-codes';
import { FerryCommand } from '../../ferry-command';

export default class UsersDelete extends FerryCommand {
  static override summary = "Delete a user and their credential from Ferry's store (legacy is untouched).";
  static override description =
    'Use it to untangle duplicates. In import mode the user is migrated again from legacy at their next login or password reset.';
  static override examples = ['<%= config.bin %> users delete legacy-0042 --yes'];
  static override args = { userId: Args.string({ description: 'The user_id to delete', required: true }) };
  static override flags = { yes: Flags.boolean({ char: 'y', summary: 'Confirm the deletion (required).' }) };

  async run(): Promise<{ deleted: boolean; user_id: string }> {
    const { args, flags } = await this.parse(UsersDelete);
    if (!flags.yes) {
      throw new ConfigError('confirmation_required', `Deleting '${args.userId}' needs confirmation.`, { hint: 'Run it again with --yes.' });
    }
    return this.withRuntime(flags.config, { withoutConnector: true }, async (rt) => {
      const deleted = await rt.store.deleteUser(rt.config.connection, args.userId);
      this.say(deleted ? `deleted ${args.userId}` : `no user '${args.userId}'`);
      if (!deleted) process.exitCode = EXIT_NEGATIVE;
      return { deleted, user_id: args.userId };
    });
  }
}
