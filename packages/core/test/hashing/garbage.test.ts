/**
 * Hostile and broken input: every value must give a per-input answer (a match result or
 * a Ferry DataError) quickly — never a crash, a hang, or a message echoing the input.
 */
import { randomBytes } from 'node:crypto';
import { FerryError } from '../../src/errors';
import { identify, toAuth0, verify } from '../../src/hashing';

const VALID = [
  '$2a$05$c92SVSfjeiCD6F2nAD6y0uBpJDjdRkt0EgeC4/31Rf2LUZbDRDE.O',
  '$argon2i$v=19$m=256,t=2,p=1$c29tZXNhbHQ$iekCn0Y3spW+sCcFanM2xBT63UP2sghkUoHLIUpWRS8',
  'pbkdf2_sha256$10000$kjVJaVz6qsnJ$5yPHw3rwJGECpUf70daLGhOrQ5+AMxIJdz1c3bqK1Rs=',
  '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1',
  '$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0',
  '{SSHA}0H+zTv8o4MR4H43n03eCsvw1luG8LdB7',
  'AQAAAAEAACcQAAAAEAABAgMEBQYHCAkKCwwNDg+yWU7rLgUwPZb1Itsmra7cbxw2EFpwpVFIEtP+JIuUEw==',
  '$stormpath2$MD5$1$NzEyN2ZhYzdkZTAyMjJlMGQyMWYxMWRmZmY2YjA1MWI=$K18Ak0YikAFrqgglhIaY5g==',
  '$scrypt$ln=4,r=8,p=1$cmFuZG9tc2FsdGlzaGFyZA$Rh+NnJNo1I6nRwaNqbDm6kmADswD1+7FTKZ7Ln9D8nQ',
];

async function outcome(hash: unknown): Promise<string> {
  try {
    const result = await verify(hash as never, 'password');
    return result.match ? 'match' : 'no-match';
  } catch (err) {
    expect(err).toBeInstanceOf(FerryError);
    const ferry = err as FerryError;
    expect(['hash_malformed', 'hash_unsupported', 'hash_cost_too_high']).toContain(ferry.code);
    if (typeof hash === 'string' && hash.length > 16) expect(ferry.message).not.toContain(hash);
    return ferry.code;
  }
}

describe('garbage input', () => {
  it('answers every truncation of every valid hash per input', async () => {
    for (const hash of VALID) {
      for (let cut = 0; cut < hash.length; cut++) await outcome(hash.slice(0, cut));
    }
  });

  it('answers random bytes and random printable strings', async () => {
    for (let i = 0; i < 300; i++) {
      await outcome(randomBytes(i % 97).toString('latin1'));
      await outcome('$' + randomBytes(40).toString('base64'));
      await outcome('{SSHA}' + randomBytes(i % 50).toString('base64'));
    }
  });

  it('refuses a 1 MB string at once', async () => {
    const started = Date.now();
    expect(await outcome('$2a$'.padEnd(1024 * 1024, 'A'))).toBe('hash_unsupported');
    expect(await outcome('x'.repeat(1024 * 1024))).toBe('hash_unsupported');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses absurd costs without computing', async () => {
    const started = Date.now();
    for (const hash of [
      '$2b$31$c92SVSfjeiCD6F2nAD6y0uBpJDjdRkt0EgeC4/31Rf2LUZbDRDE.O',
      '$argon2id$v=19$m=4294967295,t=4294967295,p=255$c29tZXNhbHQ$iekCn0Y3spW+sCcFanM2xBT63UP2sghkUoHLIUpWRS8',
      'pbkdf2_sha256$4294967295$salt$5yPHw3rwJGECpUf70daLGhOrQ5+AMxIJdz1c3bqK1Rs=',
      '$5$rounds=999999999$salt$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5',
      '$scrypt$ln=40,r=8,p=1$cmFuZG9tc2FsdGlzaGFyZA$Rh+NnJNo1I6nRwaNqbDm6kmADswD1+7FTKZ7Ln9D8nQ',
      '$stormpath2$SHA-256$2000000000$$n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=',
      'AQAAAAEP////AAAAEAABAgMEBQYHCAkKCwwNDg+yWU7rLgUwPZb1Itsmra7cbxw2EFpwpVFIEtP+JIuUEw==',
    ]) {
      expect(await outcome(hash)).toBe('hash_cost_too_high');
    }
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses non-string, non-object values', async () => {
    for (const value of [null, undefined, 42, true, [], ['$2a$'], { algorithm: 7 }, { nothing: 'here' }]) await outcome(value);
    expect(() => identify(null as never)).toThrow(FerryError);
    expect(() => toAuth0(12 as never)).toThrow(FerryError);
  });

  it('still verifies the valid hashes after all that', async () => {
    expect(await outcome(VALID[0])).toBe('no-match');
    expect(await verify(VALID[0] as string, 'U*U*U*U*')).toEqual({ match: true, scheme: 'bcrypt' });
  });
});
