import { Args, Flags } from '@oclif/core';
import { requireCapability, type LoginOutcome } from '@ferry/core';
import { EXIT_NEGATIVE } from '../../exit-codes';
import { FerryCommand } from '../../ferry-command';
import { profileBlock } from '../../format';

export default class TryLogin extends FerryCommand {
  static override summary = "Check a password against the legacy source only; write nothing (Auth0's Try button).";
  static override examples = [
    '<%= config.bin %> try login alice@example.com',
    "printf '%s\\n' \"$PW\" | <%= config.bin %> try login alice@example.com --password-stdin --json",
  ];
  static override args = { identifier: Args.string({ description: 'Email or username', required: true }) };
  static override flags = { 'password-stdin': Flags.boolean({ summary: 'Read the password from the first line of stdin.' }) };

  async run(): Promise<LoginOutcome> {
    const { args, flags } = await this.parse(TryLogin);
    const password = await this.password(flags['password-stdin']);
    return this.withRuntime(flags.config, { withoutStore: true }, async (rt) => {
      const connector = requireCapability(rt.connector!, 'login', 'try login');
      const outcome = await connector.login(args.identifier, password);
      if (outcome.ok) {
        this.say(`ok: the legacy source accepted the password${outcome.flags ? ` (flags: ${Object.keys(outcome.flags).join(', ')})` : ''}`);
        this.say(profileBlock(outcome.profile));
      } else {
        this.say(`refused: ${outcome.reason}`);
        process.exitCode = EXIT_NEGATIVE;
      }
      return outcome;
    });
  }
}
