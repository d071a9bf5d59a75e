/**
 * HashCostLimits for the digest loops Ferry runs itself (maxCryptRounds, separate from
 * PBKDF2's maxIterations), and those loops yielding to the event loop while they run.
 */
import { DataError } from '../../src/errors';
import { DEFAULT_HASH_COST_LIMITS, PasswordHashingService, verify } from '../../src/hashing';

const SHA512_CHECKSUM = 'svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1';
const sha512Crypt = (rounds: number): string => `$6$rounds=${rounds}$saltstring$${SHA512_CHECKSUM}`;
// '$P$' + count character + 8 salt + 22 checksum; the count character F is 2^17, I is 2^20.
const phpass = (countChar: string): string => `$P$${countChar}12345678${'a'.repeat(22)}`;
const stormpath2 = (iterations: number): string => `$stormpath2$SHA-512$${iterations}$c2FsdA==$${Buffer.alloc(64).toString('base64')}`;

async function rejection(promise: Promise<unknown>): Promise<DataError> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DataError);
  return err as DataError;
}

describe('maxCryptRounds', () => {
  it('defaults to 1,000,000, apart from PBKDF2 iterations (10,000,000)', () => {
    expect(DEFAULT_HASH_COST_LIMITS.maxCryptRounds).toBe(1_000_000);
    expect(DEFAULT_HASH_COST_LIMITS.maxIterations).toBe(10_000_000);
  });

  it.each([
    ['sha512-crypt', sha512Crypt(1_000_001), 'rounds', 1_000_001],
    ['phpass', phpass('I'), 'iterations', 2 ** 20],
    ['stormpath2-sha-512', stormpath2(5_000_000), 'iterations', 5_000_000],
  ])('refuses %s beyond it with hash_cost_too_high naming the limit and how to raise it', async (scheme, hash, parameter, value) => {
    const err = await rejection(verify(hash, 'secret password'));
    expect(err.code).toBe('hash_cost_too_high');
    expect(err.message).toBe(`The ${scheme} hash asks for ${parameter} ${value}, above the limit of 1000000 (HashCostLimits.maxCryptRounds).`);
    expect(err.hint).toContain(`in ferry.yaml, hashing: { limits: { maxCryptRounds: ${value} } }`);
    expect(err.message + (err.hint ?? '')).not.toContain('secret password');
  });

  it('is what a service raises or lowers, independently of maxIterations', async () => {
    expect(new PasswordHashingService({ maxCryptRounds: 2_000_000 }).schemeOf(sha512Crypt(1_000_001))).toBe('sha512-crypt');
    const strict = new PasswordHashingService({ maxCryptRounds: 4999, maxIterations: 100 });
    const err = await rejection(strict.verify(`$6$saltstring$${SHA512_CHECKSUM}`, 'x')); // default 5000 rounds
    expect(err.message).toContain('above the limit of 4999 (HashCostLimits.maxCryptRounds)');
    // PBKDF2 answers to maxIterations only.
    const pbkdf2 = 'pbkdf2_sha256$390000$seasalt$8xBlGd3jVgvJ+92hWPxi5ww0uuAuAnKgC45eudxro7c=';
    expect(new PasswordHashingService({ maxCryptRounds: 1 }).schemeOf(pbkdf2)).toBe('django-pbkdf2-sha256');
    expect((await rejection(strict.verify(pbkdf2, 'x'))).message).toContain('(HashCostLimits.maxIterations)');
  });

  it('must be positive when overridden', () => {
    expect(() => new PasswordHashingService({ maxCryptRounds: 0 })).toThrow(RangeError);
  });
});

describe('long digest loops do not hold the event loop', () => {
  // Allowed by the defaults but slow (about 0.1–0.5 s each): a hostile hash just under the limits.
  it.each([
    ['sha512-crypt', sha512Crypt(100_000)],
    ['phpass', phpass('F')],
    ['stormpath2-sha-512', stormpath2(200_000)],
  ])('%s: a timer set before verify fires before verify settles', async (scheme, hash) => {
    const events: string[] = [];
    let turns = 0;
    let settled = false;
    const tick = (): void => {
      turns++;
      if (!settled) setImmediate(tick);
    };
    setImmediate(tick);
    const timer = setTimeout(() => events.push('timer'), 1);
    const result = await verify(hash, 'correct horse battery staple');
    events.push('verified');
    settled = true;
    clearTimeout(timer);
    expect(result).toEqual({ match: false, scheme });
    expect(events).toEqual(['timer', 'verified']);
    // Other callbacks ran many times in between (one per slice at least).
    expect(turns).toBeGreaterThan(10);
  });
});
