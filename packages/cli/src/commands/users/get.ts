import { Args } from '@oclif/core';
import { ConfigError, type StoredLogEntry, type StoredUser } from '@ferry/core';
import { EXIT_NEGATIVE } from '../../exit-codes';
import { FerryCommand } from '../../ferry-command';
import { profileBlock } from '../../format';

/** The `--json` shape of `ferry users get`. */
export interface UserDetails {
  user: StoredUser | null;
  credential: { scheme: string; source: string; updatedAt: string } | null;
  log: StoredLogEntry[];
}

export default class UsersGet extends FerryCommand {
  static override summary = 'Show one user (by user_id, email or username), their credential scheme and migration history.';
  static override examples = ['<%= config.bin %> users get alice@example.com', '<%= config.bin %> users get legacy-0042 --json'];
  static override args = { user: Args.string({ description: 'user_id, email or username', required: true }) };

  async run(): Promise<UserDetails> {
    const { args, flags } = await this.parse(UsersGet);
    if (args.user.trim() === '') throw new ConfigError('argument_invalid', 'The user argument is empty.', { hint: 'Give a user_id, email or username.' });
    return this.withRuntime(flags.config, { withoutConnector: true }, async (rt) => {
      const c = rt.config.connection;
      const user = (await rt.store.findById(c, args.user)) ?? (await rt.store.findForLogin(c, args.user))?.user ?? null;
      if (user === null) {
        this.say('not found');
        process.exitCode = EXIT_NEGATIVE;
        return { user: null, credential: null, log: [] };
      }
      const cred = await rt.store.getCredential(c, user.profile.user_id);
      const log = await rt.store.readLog(c, { userId: user.profile.user_id, limit: 20 });
      // The hash itself is never printed: only its scheme and provenance.
      const credential = cred && { scheme: cred.scheme, source: cred.source, updatedAt: cred.updatedAt };
      this.say(`${user.profile.user_id} (origin ${user.origin}, migrated ${user.migratedAt})`);
      this.say(profileBlock(user.profile));
      this.say(`credential: ${credential ? `${credential.scheme} (set by ${credential.source} at ${credential.updatedAt})` : 'none yet'}`);
      for (const e of log) this.say(`  ${e.at}  ${e.event}${e.detail ? ` ${JSON.stringify(e.detail)}` : ''}`);
      return { user, credential, log };
    });
  }
}
