import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { ImportRecord } from '../../src';
import { emailFormatOf, fastSchemaValid } from '../../src/bulk/auth0-record-fast-check';
import { AUTH0_USER_IMPORT_SCHEMA } from '../../src/bulk/auth0-user-schema';

// The reference: ajv as the rules module configures it (no defaults, formats added).
const ajv = new Ajv({ allErrors: false, strict: false });
addFormats(ajv);
const reference = ajv.compile(AUTH0_USER_IMPORT_SCHEMA);
const isEmail = emailFormatOf(ajv.formats.email);

/** A small seeded PRNG (mulberry32), so a failure names a reproducible seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CUSTOM = AUTH0_USER_IMPORT_SCHEMA.properties.custom_password_hash.properties;
const WRONG: unknown[] = [undefined, null, 0, 1.5, -3, true, false, '', 'x', [], ['a'], {}, { value: 'v' }, Number.NaN];

function generator(seed: number) {
  const rnd = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
  const chance = (p: number) => rnd() < p;
  // Mostly the right thing, sometimes absent, sometimes anything at all.
  const value = (good: () => unknown): unknown => (chance(0.88) ? good() : pick(WRONG));
  const field = (out: Record<string, unknown>, key: string, good: () => unknown, presence = 0.5) => {
    if (chance(presence)) out[key] = value(good);
  };
  const str = () => pick(['a', 'Alice', 'x'.repeat(200), 'ü', '']);
  const int = () => pick([0, 1, 8, 16384, -2, 2 ** 40]);
  const email = () => pick(['a@example.com', 'A.B+c@Example.co.uk', 'bad', 'a@b', 'a@@b.com', 'é@example.com', ' a@example.com', 'a@example.com\n', 'x@localhost']);
  const customHash = (): unknown => {
    const out: Record<string, unknown> = {};
    field(out, 'algorithm', () => pick([...CUSTOM.algorithm.enum, 'rot13']), 0.95);
    field(out, 'hash', () => {
      const h: Record<string, unknown> = {};
      field(h, 'value', str, 0.9);
      field(h, 'encoding', () => pick([...CUSTOM.hash.properties.encoding.enum, 'base32']));
      field(h, 'digest', () => pick([...CUSTOM.hash.properties.digest.enum, 'crc32']), 0.2);
      field(h, 'key', () => {
        const k: Record<string, unknown> = {};
        field(k, 'value', str, 0.9);
        field(k, 'encoding', () => pick([...CUSTOM.hash.properties.key.properties.encoding.enum, 'latin1']), 0.3);
        return k;
      }, 0.15);
      if (chance(0.05)) h.extra = 1;
      return h;
    }, 0.95);
    field(out, 'salt', () => {
      const s: Record<string, unknown> = {};
      field(s, 'value', str, 0.9);
      field(s, 'encoding', () => pick([...CUSTOM.salt.properties.encoding.enum, 'base32']), 0.3);
      field(s, 'position', () => pick([...CUSTOM.salt.properties.position.enum, 'middle']), 0.5);
      return s;
    });
    field(out, 'password', () => (chance(0.5) ? {} : { encoding: pick([...CUSTOM.password.properties.encoding.enum, 'utf32']) }), 0.2);
    for (const k of ['keylen', 'cost', 'blockSize', 'parallelization']) field(out, k, int, 0.2);
    if (chance(0.03)) out[pick(['iterations', 'toString', 'rounds'])] = pick([1, undefined]);
    return out;
  };
  return (): ImportRecord => {
    const out: Record<string, unknown> = {};
    field(out, 'email', email, 0.97);
    for (const k of ['email_verified', 'blocked']) field(out, k, () => chance(0.5));
    for (const k of ['user_id', 'username', 'given_name', 'family_name', 'name', 'nickname', 'picture']) field(out, k, str);
    field(out, 'password_hash', str, 0.2);
    field(out, 'custom_password_hash', customHash, 0.6);
    for (const k of ['app_metadata', 'user_metadata']) field(out, k, () => (chance(0.5) ? {} : { plan: 'gold', n: 1 }), 0.3);
    if (chance(0.05)) out.mfa_factors = [{ totp: { secret: 'ABC234' } }];
    if (chance(0.03)) out[pick(['nick_name', 'toString', 'identities', 'ferry_password_hash'])] = pick(['x', undefined]);
    return out as unknown as ImportRecord;
  };
}

describe('the fast Auth0 schema check agrees with ajv', () => {
  it.each([1, 2, 3, 4, 5])('on 20,000 generated valid and invalid records (seed %i)', (seed) => {
    const next = generator(seed);
    let valid = 0;
    let vouched = 0;
    let invalid = 0;
    for (let i = 0; i < 20000; i += 1) {
      const record = next();
      const expected = reference(record);
      const fast = fastSchemaValid(record, isEmail);
      const fields = record as unknown as Record<string, unknown>;
      // Never vouches for a record ajv refuses…
      if (fast && !expected) throw new Error(`seed ${seed} #${i}: fast check passed a record ajv refuses: ${JSON.stringify(record)}`);
      // …and outside mfa_factors it decides exactly as ajv does, so ajv runs only for real problems.
      if (!('mfa_factors' in fields) && fast !== expected) throw new Error(`seed ${seed} #${i}: fast ${fast}, ajv ${expected}: ${JSON.stringify(record)}`);
      if (expected) valid += 1;
      else invalid += 1;
      if (fast) vouched += 1;
    }
    // Both kinds were exercised, and the fast check covers most valid records.
    expect(valid).toBeGreaterThan(1000);
    expect(invalid).toBeGreaterThan(1000);
    expect(vouched / valid).toBeGreaterThan(0.8);
  });

  it('agrees on the email format because it uses ajv\'s own', () => {
    for (const email of ['a@example.com', 'bad', 'a@b', 'a b@example.com', 'A@EXAMPLE.COM']) {
      expect(fastSchemaValid({ user_id: 'u', email } as ImportRecord, isEmail)).toBe(reference({ user_id: 'u', email }));
    }
  });
});
