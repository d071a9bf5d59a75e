import { Flags } from '@oclif/core';
import { runDemo, type DemoResult } from '../demo/run-demo';
import { FerryCommand } from '../ferry-command';

export default class Demo extends FerryCommand {
  static override summary = "Run Ferry's main job on embedded defaults: a generated legacy database, trickle migration, bulk migration of the rest, verification, disconnect.";
  static override description = 'Needs no network and no setup. Everything is written under --dir (default .ferry/demo), which is recreated on each run.';
  static override examples = ['<%= config.bin %> demo', '<%= config.bin %> demo --users 2000 --logins 200 --json'];
  static override flags = {
    dir: Flags.string({ summary: 'Where to write the demo databases and ferry.yaml.', default: '.ferry/demo' }),
    users: Flags.integer({ summary: 'Legacy users to generate.', default: 10000, min: 10, max: 1000000 }),
    logins: Flags.integer({ summary: 'Users who log in during the trickle phase.', default: 500, min: 1 }),
    resets: Flags.integer({ summary: 'Users looked up by a password-reset flow.', default: 100, min: 0 }),
    seed: Flags.string({ summary: 'Seed of the generated data.', default: 'ferry' }),
  };

  async run(): Promise<DemoResult> {
    const { flags } = await this.parse(Demo);
    return runDemo({ dir: flags.dir, users: flags.users, logins: Math.min(flags.logins, flags.users), resets: flags.resets, seed: flags.seed, say: (l) => this.say(l) });
  }
}
