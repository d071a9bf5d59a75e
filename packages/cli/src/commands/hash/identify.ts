import { Args } from '@oclif/core';
import { identify } from '@ferry/core';
import { FerryCommand } from '../../ferry-command';
import { parseHashArgument } from '../../hash-input';

export default class HashIdentify extends FerryCommand {
  static override summary = 'Name the scheme of a password hash (string or structured JSON).';
  static override examples = ["<%= config.bin %> hash identify '$2b$10$…'", "<%= config.bin %> hash identify '{\"algorithm\":\"sha256\",\"hash\":{\"value\":\"…\",\"encoding\":\"hex\"}}' --json"];
  static override args = { hash: Args.string({ description: 'The hash', required: true }) };

  async run(): Promise<{ scheme: string }> {
    const { args } = await this.parse(HashIdentify);
    const scheme = identify(parseHashArgument(args.hash));
    this.say(scheme);
    return { scheme };
  }
}
