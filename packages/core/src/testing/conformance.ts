/// <reference types="jest" />
/**
 * The connector conformance kit: one call every connector's tests make, like Auth.js's
 * `runBasicTests`. It checks what the engine relies on: typed outcomes, transient
 * failures surfaced as transient, one stable user_id and one profile from `login` and
 * `getByEmail`, email uniqueness, and resumable exports.
 */
import { capabilitiesOf, type Connector, type ExportPage } from '../contracts/connector';
import type { ImportRecord, JsonValue } from '../contracts/profile';
import { FerryError } from '../errors';
import { profileDrift } from '../engine/profile-rules';

/** A known user of the source under test. */
export interface ConformanceUser {
  /** What the user types to log in (email or username). */
  identifier: string;
  email: string;
  password: string;
}

/** What a connector's test hands the kit. */
export interface ConformanceFixture {
  /** A connector against the prepared source (called once per test; closed after). */
  connector(): Promise<Connector>;
  /** A connector whose source fails transiently (down, 5xx, 429, timeouts). */
  failingConnector(): Promise<Connector>;
  /** An existing user and their password. */
  user: ConformanceUser;
  /** A second existing user with another email. */
  otherUser: ConformanceUser;
  /** An identifier the source does not know. */
  unknownIdentifier: string;
  /** Users `exportUsers` should yield in total (when the connector exports). */
  expectedExportCount?: number;
}

async function withConnector<T>(make: () => Promise<Connector>, use: (c: Connector) => Promise<T>): Promise<T> {
  const c = await make();
  try {
    return await use(c);
  } finally {
    await c.close?.();
  }
}

async function collect(connector: Connector, checkpoint?: JsonValue): Promise<{ pages: ExportPage[]; records: ImportRecord[] }> {
  const pages: ExportPage[] = [];
  const exportUsers = connector.exportUsers?.bind(connector);
  if (!exportUsers) return { pages, records: [] };
  for await (const page of exportUsers(checkpoint === undefined ? {} : { checkpoint })) pages.push(page);
  return { pages, records: pages.flatMap((p) => p.records) };
}

/** Register the conformance tests for a connector under `describe(name)`. */
export function runConnectorConformance(name: string, fixture: ConformanceFixture): void {
  const has = (c: Connector, cap: 'login' | 'getByEmail' | 'exportUsers') => capabilitiesOf(c).includes(cap);

  describe(`${name}: connector conformance`, () => {
    it('advertises at least one capability and an id', async () => {
      await withConnector(fixture.connector, async (c) => {
        expect(typeof c.id).toBe('string');
        expect(capabilitiesOf(c).length).toBeGreaterThan(0);
      });
    });

    it('login: the right password succeeds with a profile carrying a stable string user_id', async () => {
      await withConnector(fixture.connector, async (c) => {
        if (!has(c, 'login')) return;
        const first = await c.login!(fixture.user.identifier, fixture.user.password);
        const second = await c.login!(fixture.user.identifier, fixture.user.password);
        expect(first.ok).toBe(true);
        if (!first.ok || !second.ok) throw new Error('login failed');
        expect(typeof first.profile.user_id).toBe('string');
        expect(first.profile.user_id.length).toBeGreaterThan(0);
        expect(second.profile.user_id).toBe(first.profile.user_id);
        expect(first.profile.email?.toLowerCase()).toBe(fixture.user.email.toLowerCase());
      });
    });

    it('login: a wrong password is invalid_credentials', async () => {
      await withConnector(fixture.connector, async (c) => {
        if (!has(c, 'login')) return;
        const outcome = await c.login!(fixture.user.identifier, `${fixture.user.password}-wrong`);
        expect(outcome).toEqual(expect.objectContaining({ ok: false, reason: 'invalid_credentials' }));
      });
    });

    it('login: an unknown user is not_found or invalid_credentials', async () => {
      await withConnector(fixture.connector, async (c) => {
        if (!has(c, 'login')) return;
        const outcome = await c.login!(fixture.unknownIdentifier, fixture.user.password);
        expect(outcome.ok).toBe(false);
        if (outcome.ok) return;
        expect(['not_found', 'invalid_credentials']).toContain(outcome.reason);
      });
    });

    it('a failing source surfaces as a transient error, never as a wrong password or a missing user', async () => {
      await withConnector(fixture.failingConnector, async (c) => {
        const calls: Promise<unknown>[] = [];
        if (has(c, 'login')) calls.push(c.login!(fixture.user.identifier, fixture.user.password));
        if (has(c, 'getByEmail')) calls.push(c.getByEmail!(fixture.user.email));
        expect(calls.length).toBeGreaterThan(0);
        for (const call of calls) {
          const err = await call.then(
            (v) => ({ resolved: v }),
            (e: unknown) => e,
          );
          expect(err).toBeInstanceOf(FerryError);
          expect((err as FerryError).errorClass).toBe('transient');
          expect(JSON.stringify((err as FerryError).toJSON()) + String((err as Error).message)).not.toContain(fixture.user.password);
        }
      });
    });

    it('getByEmail: finds the user case-insensitively and returns null for an unknown email', async () => {
      await withConnector(fixture.connector, async (c) => {
        if (!has(c, 'getByEmail')) return;
        const found = await c.getByEmail!(fixture.user.email);
        expect(found).not.toBeNull();
        expect(found?.email?.toLowerCase()).toBe(fixture.user.email.toLowerCase());
        const upper = await c.getByEmail!(fixture.user.email.toUpperCase());
        expect(upper?.user_id).toBe(found?.user_id);
        expect(await c.getByEmail!(`nobody-${Date.now()}@conformance.invalid`)).toBeNull();
      });
    });

    it('login and getByEmail return the same profile and the same user_id', async () => {
      await withConnector(fixture.connector, async (c) => {
        if (!has(c, 'login') || !has(c, 'getByEmail')) return;
        const login = await c.login!(fixture.user.identifier, fixture.user.password);
        const lookup = await c.getByEmail!(fixture.user.email);
        if (!login.ok || lookup === null) throw new Error('user not found by login or getByEmail');
        expect(lookup.user_id).toBe(login.profile.user_id);
        expect(profileDrift(login.profile, lookup)).toEqual([]);
      });
    });

    it('different users have different ids and emails', async () => {
      await withConnector(fixture.connector, async (c) => {
        const ids: string[] = [];
        for (const u of [fixture.user, fixture.otherUser]) {
          if (has(c, 'getByEmail')) {
            const p = await c.getByEmail!(u.email);
            expect(p?.email?.toLowerCase()).toBe(u.email.toLowerCase());
            ids.push(p!.user_id);
          } else if (has(c, 'login')) {
            const o = await c.login!(u.identifier, u.password);
            if (!o.ok) throw new Error(`login of ${u.identifier} failed`);
            ids.push(o.profile.user_id);
          }
        }
        if (ids.length === 2) expect(ids[0]).not.toBe(ids[1]);
      });
    });

    it('exportUsers: every user once, unique ids and emails, and resumable from a checkpoint', async () => {
      await withConnector(fixture.connector, async (c) => {
        if (!has(c, 'exportUsers')) return;
        const { pages, records } = await collect(c);
        const ids = records.map((r) => r.user_id);
        const emails = records.map((r) => r.email?.toLowerCase()).filter((e): e is string => e !== undefined);
        expect(new Set(ids).size).toBe(ids.length);
        expect(new Set(emails).size).toBe(emails.length);
        expect(emails).toContain(fixture.user.email.toLowerCase());
        if (fixture.expectedExportCount !== undefined) expect(records.length).toBe(fixture.expectedExportCount);
        expect(pages[pages.length - 1]?.checkpoint ?? null).toBeNull();
        const firstPage = pages[0];
        if (pages.length > 1 && firstPage) {
          const resumed = await withConnector(fixture.connector, (c2) => collect(c2, firstPage.checkpoint));
          expect(resumed.records.map((r) => r.user_id)).toEqual(ids.slice(firstPage.records.length));
        }
      });
    });
  });
}
