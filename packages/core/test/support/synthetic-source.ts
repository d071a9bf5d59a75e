/**
 * A deterministic record source for bulk tests (test code): keyset pages over generated
 * users, with the awkward cases a real export has mixed in.
 */
import type { ExportOptions, ExportPage, ImportRecord, JsonValue, RecordSource } from '../../src';

/** A real bcrypt hash at cost 10 (what Auth0's password_hash takes); shared by all users so generation is instant. */
export const BCRYPT_10 = '$2b$10$GB6RXyQY4sdZVZlTN.poH.3.KEX.n2/g1XqUrA1skkMXGuujNVyu6';
/** The password of {@link BCRYPT_10}. */
export const BCRYPT_10_PASSWORD = 'password-1';

/** `n` users; every 97th shares an email with the previous one, every 89th has a Ferry-only hash. */
export function syntheticUsers(n: number): ImportRecord[] {
  const users: ImportRecord[] = [];
  for (let i = 1; i <= n; i += 1) {
    const id = `u${String(i).padStart(7, '0')}`;
    const email = i % 97 === 0 ? `user${i - 1}@example.com` : `user${i}@example.com`;
    const user: ImportRecord = { user_id: id, email, email_verified: i % 2 === 0, name: `User ${i}`, user_metadata: { n: i } };
    if (i % 89 === 0) user.ferry_password_hash = '$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/'; // md5-crypt of 'password'
    else user.password_hash = BCRYPT_10;
    if (i % 211 === 0) user.app_metadata = { email: 'reserved' };
    if (i % 307 === 0) delete user.email;
    users.push(user);
  }
  return users;
}

/** Pages of `pageSize` records after a numeric checkpoint; page 3 also reports a broken row. */
export class ArraySource implements RecordSource {
  readonly id = 'synthetic';
  pagesRead = 0;

  constructor(
    private readonly records: ImportRecord[],
    private readonly pageSize = 250,
    private readonly pageDelayMs = 0,
  ) {}

  async *exportUsers(options: ExportOptions): AsyncIterable<ExportPage> {
    let after = typeof options.checkpoint === 'number' ? options.checkpoint : 0;
    for (;;) {
      if (this.pageDelayMs > 0) await new Promise((r) => setTimeout(r, this.pageDelayMs));
      const records = this.records.slice(after, after + this.pageSize);
      const page = after / this.pageSize;
      after += records.length;
      const done = after >= this.records.length;
      this.pagesRead += 1;
      const checkpoint: JsonValue = done ? null : after;
      yield { records: structuredClone(records), ...(page === 2 ? { rejects: [{ ref: { row: 'r-broken' }, code: 'hash_malformed', reason: 'The hash is malformed.' }] } : {}), checkpoint };
      if (done || options.signal?.aborted === true) return;
    }
  }
}
