import { Args, Flags } from '@oclif/core';
import type { EngineLoginResult } from '@ferry/core';
import { EXIT_NEGATIVE } from '../exit-codes';
import { FerryCommand } from '../ferry-command';
import { profileBlock } from '../format';

export default class Login extends FerryCommand {
  static override summary = "Log a user in through Ferry's engine (migrates them on first success in import mode).";
  static override examples = [
    '<%= config.bin %> login alice@example.com',
    "printf '%s\\n' \"$PW\" | <%= config.bin %> login alice@example.com --password-stdin --json",
  ];
  static override args = { identifier: Args.string({ description: 'Email or username', required: true }) };
  static override flags = { 'password-stdin': Flags.boolean({ summary: 'Read the password from the first line of stdin.' }) };

  async run(): Promise<EngineLoginResult> {
    const { args, flags } = await this.parse(Login);
    const password = await this.password(flags['password-stdin']);
    return this.withRuntime(flags.config, {}, async (rt) => {
      const result = await rt.engine().login(args.identifier, password);
      if (result.ok) {
        const how = result.migrated ? 'migrated from legacy on this login' : `verified by ${result.source === 'store' ? "Ferry's store" : 'legacy (proxy)'}`;
        this.say(`ok: ${how}`);
        this.say(profileBlock(result.profile));
      } else {
        this.say(`refused: ${result.reason}`);
        process.exitCode = EXIT_NEGATIVE;
      }
      return result;
    });
  }
}
