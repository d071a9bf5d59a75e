import { Args } from '@oclif/core';
import { requireCapability, type UserProfile } from '@ferry/core';
import { EXIT_NEGATIVE } from '../../exit-codes';
import { FerryCommand } from '../../ferry-command';
import { profileBlock } from '../../format';

export default class TryGetUser extends FerryCommand {
  static override summary = 'Look a user up in the legacy source only; write nothing.';
  static override examples = ['<%= config.bin %> try get-user alice@example.com', '<%= config.bin %> try get-user alice@example.com --json'];
  static override args = { email: Args.string({ description: 'Email address', required: true }) };

  async run(): Promise<{ found: boolean; profile: UserProfile | null }> {
    const { args, flags } = await this.parse(TryGetUser);
    return this.withRuntime(flags.config, { withoutStore: true }, async (rt) => {
      const connector = requireCapability(rt.connector!, 'getByEmail', 'try get-user');
      const profile = await connector.getByEmail(args.email);
      if (profile) this.say(`found:\n${profileBlock(profile)}`);
      else {
        this.say('not found');
        process.exitCode = EXIT_NEGATIVE;
      }
      return { found: profile !== null, profile };
    });
  }
}
