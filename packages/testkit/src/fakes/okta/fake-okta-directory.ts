/**
 * The fake org's users: Okta-shaped user objects, looked up by id or login
 * (case-insensitively, as Okta does), with failed-password counters for lockout.
 */
import { createHash } from 'node:crypto';
import type { FakeOktaStatus, FakeOktaUserInput } from './fake-okta-types';

/** A stored user: the Okta representation plus what the fake needs to authenticate. */
export interface FakeOktaRecord {
  input: FakeOktaUserInput;
  status: FakeOktaStatus;
  failures: number;
  /** Okta's user JSON, without `_links` (added per response). */
  json: Record<string, unknown>;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A stable 20-character Okta-style id (`00u…`) derived from the login. */
export function fakeOktaId(login: string): string {
  const digest = createHash('sha256').update(login.toLowerCase()).digest();
  let id = '00u';
  for (let i = 0; id.length < 20; i++) id += ID_ALPHABET[(digest[i] ?? 0) % ID_ALPHABET.length];
  return id;
}

function toJson(input: FakeOktaUserInput, id: string, status: FakeOktaStatus): Record<string, unknown> {
  const at = '2024-01-15T10:00:00.000Z';
  const activated = status === 'STAGED' || status === 'PROVISIONED' ? null : at;
  return {
    id,
    status,
    created: at,
    activated,
    statusChanged: at,
    lastLogin: null,
    lastUpdated: at,
    passwordChanged: at,
    type: { id: 'oty1fakeoktadefault0' },
    profile: {
      firstName: input.firstName ?? null,
      lastName: input.lastName ?? null,
      mobilePhone: null,
      secondEmail: null,
      login: input.login,
      email: input.email ?? input.login,
      ...input.profile,
    },
    credentials: { password: {}, provider: { type: 'OKTA', name: 'OKTA' } },
  };
}

/** The users of a fake org, in Okta's list order (by id). */
export class FakeOktaDirectory {
  private readonly byId = new Map<string, FakeOktaRecord>();
  private readonly byLogin = new Map<string, FakeOktaRecord>();
  private sorted: FakeOktaRecord[] | undefined;

  constructor(users: FakeOktaUserInput[] = []) {
    for (const user of users) this.add(user);
  }

  /** Add (or replace) a user. */
  add(input: FakeOktaUserInput): FakeOktaRecord {
    const id = input.id ?? fakeOktaId(input.login);
    const status = input.status ?? 'ACTIVE';
    const record: FakeOktaRecord = { input, status, failures: 0, json: toJson(input, id, status) };
    this.byId.set(id, record);
    this.byLogin.set(input.login.toLowerCase(), record);
    this.sorted = undefined;
    return record;
  }

  /** Change a user's status (LOCKED_OUT on lockout, or from a test). */
  setStatus(record: FakeOktaRecord, status: FakeOktaStatus): void {
    record.status = status;
    record.json.status = status;
  }

  /** A user by id or login. */
  find(idOrLogin: string): FakeOktaRecord | undefined {
    return this.byId.get(idOrLogin) ?? this.byLogin.get(idOrLogin.toLowerCase());
  }

  /** Every user, ordered by id. */
  all(): FakeOktaRecord[] {
    this.sorted ??= [...this.byId.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
    return this.sorted;
  }
}
