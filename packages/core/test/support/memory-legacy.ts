/**
 * An in-memory legacy source for engine tests (test code, not a shipped connector).
 * Counts calls and can fail, hang, or return crafted profiles.
 */
import { DataError, TransientError, type Connector, type ExportPage, type LoginOutcome, type UserProfile } from '../../src';

export interface LegacyUser {
  profile: UserProfile;
  password: string;
  /** Overrides what login returns (to simulate drift or id changes). */
  loginProfile?: UserProfile;
  status?: 'locked' | 'disabled';
}

export class MemoryLegacy {
  readonly users: LegacyUser[] = [];
  calls = { login: 0, getByEmail: 0, markMigrated: 0, exportUsers: 0 };
  down = false;
  /** Make markMigrated fail this many times before succeeding. */
  markMigratedFailures = 0;
  /** Delay for markMigrated, to show it doesn't delay logins. */
  markMigratedDelayMs = 0;
  loginDelayMs = 0;
  readonly marked: string[] = [];

  add(user: LegacyUser): this {
    this.users.push(user);
    return this;
  }

  private byIdentifier(identifier: string): LegacyUser[] {
    const key = identifier.toLowerCase();
    return this.users.filter((u) => u.profile.email?.toLowerCase() === key || u.profile.username?.toLowerCase() === key);
  }

  connector(id = 'memory'): Connector {
    const fail = () => {
      if (this.down) throw new TransientError('legacy_unavailable', 'memory legacy is down');
    };
    return {
      id,
      login: async (identifier: string, password: string): Promise<LoginOutcome> => {
        this.calls.login++;
        if (this.loginDelayMs) await new Promise((r) => setTimeout(r, this.loginDelayMs));
        fail();
        const [u] = this.byIdentifier(identifier);
        if (!u) return { ok: false, reason: 'not_found' };
        if (u.password !== password) return { ok: false, reason: 'invalid_credentials' };
        if (u.status) return { ok: false, reason: u.status };
        return { ok: true, profile: structuredClone(u.loginProfile ?? u.profile) };
      },
      getByEmail: async (email: string): Promise<UserProfile | null> => {
        this.calls.getByEmail++;
        fail();
        const found = this.users.filter((u) => u.profile.email?.toLowerCase() === email.toLowerCase());
        if (found.length > 1) {
          throw new DataError('ambiguous_email', `Two legacy users have the email.`);
        }
        return found[0] ? structuredClone(found[0].profile) : null;
      },
      exportUsers: async function* (this: void): AsyncIterable<ExportPage> {
        yield { records: [], checkpoint: null };
      },
      markMigrated: async (profile: UserProfile): Promise<void> => {
        this.calls.markMigrated++;
        if (this.markMigratedDelayMs) await new Promise((r) => setTimeout(r, this.markMigratedDelayMs));
        if (this.markMigratedFailures > 0) {
          this.markMigratedFailures--;
          throw new TransientError('legacy_unavailable', 'mark failed');
        }
        this.marked.push(profile.user_id);
      },
    };
  }
}
