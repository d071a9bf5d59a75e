import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Flags } from '@oclif/core';
import { AUTH0_SCRIPT_SETTINGS, auth0Scripts } from '@ferry/core';
import { FerryCommand } from '../../ferry-command';

export default class ScriptsAuth0 extends FerryCommand {
  static override summary = 'Write Auth0 custom-database scripts that call ferry serve with a client-credentials token.';
  static override description = `Paste each file into the matching tab of the Auth0 connection (Custom Database → Database Action Scripts) and set these connection settings: ${AUTH0_SCRIPT_SETTINGS.join(', ')}. See docs/SERVE.md.`;
  static override examples = ['<%= config.bin %> scripts auth0 --out ./auth0-scripts'];
  static override flags = { out: Flags.string({ char: 'o', summary: 'Directory to write the scripts to (created if missing).', required: true }) };

  async run(): Promise<{ dir: string; files: string[]; settings: readonly string[] }> {
    const { flags } = await this.parse(ScriptsAuth0);
    const dir = resolve(flags.out);
    mkdirSync(dir, { recursive: true });
    const scripts = auth0Scripts();
    for (const [name, text] of Object.entries(scripts)) writeFileSync(join(dir, name), text);
    const files = Object.keys(scripts);
    this.say(`wrote ${files.join(', ')} to ${dir}`);
    this.say(`set these Auth0 connection settings: ${AUTH0_SCRIPT_SETTINGS.join(', ')}`);
    return { dir, files, settings: AUTH0_SCRIPT_SETTINGS };
  }
}
