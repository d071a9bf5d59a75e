import { Args } from '@oclif/core';
import { toAuth0, type Auth0Conversion } from '@ferry/core';
import { EXIT_NEGATIVE } from '../../exit-codes';
import { FerryCommand } from '../../ferry-command';
import { parseHashArgument } from '../../hash-input';

export default class HashToAuth0 extends FerryCommand {
  static override summary = "Convert a legacy hash to Auth0's password_hash / custom_password_hash, or say why Auth0 can't take it.";
  static override examples = ["<%= config.bin %> hash to-auth0 'pbkdf2_sha256$600000$salt$…'"];
  static override args = { hash: Args.string({ description: 'The hash (string or structured JSON)', required: true }) };

  async run(): Promise<Auth0Conversion> {
    const { args } = await this.parse(HashToAuth0);
    const result = toAuth0(parseHashArgument(args.hash));
    if ('unsupported' in result) {
      this.say(`Auth0 cannot verify ${result.scheme}: ${result.reason}`);
      process.exitCode = EXIT_NEGATIVE;
    } else {
      this.say(JSON.stringify(result, null, 2));
    }
    return result;
  }
}
