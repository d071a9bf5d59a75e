/**
 * Argon2 PHC strings.
 * Sources:
 * - P-H-C/phc-winner-argon2 src/test.c (reference implementation test vectors), for
 *   version 0x10 (no `v=`) and 0x13 (`v=19`), Argon2i, including its invalid-encoding and
 *   mismatched-password cases. The 1 GiB vectors are skipped (TEST_LARGE_RAM there too).
 * - Django tests/auth_tests/test_hashers.py `test_argon2`, `test_argon2_version_upgrade`.
 */
import { identify, toAuth0, verify } from '../../src/hashing';
import { expectRejects, expectVectors } from './helpers';

describe('argon2', () => {
  it('verifies reference v=19 vectors', async () => {
    await expectVectors(
      [
        ['password', '$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA'],
        ['password', '$argon2i$v=19$m=256,t=2,p=1$c29tZXNhbHQ$iekCn0Y3spW+sCcFanM2xBT63UP2sghkUoHLIUpWRS8'],
        ['password', '$argon2i$v=19$m=256,t=2,p=2$c29tZXNhbHQ$T/XOJ2mh1/TIpJHfCdQan76Q5esCFVoT5MAeIM1Oq2E'],
        ['password', '$argon2i$v=19$m=65536,t=1,p=1$c29tZXNhbHQ$0WgHXE2YXhPr6uVgz4uUw7XYoWxRkWtvSsLaOsEbvs8'],
        ['differentpassword', '$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$FK6NoBr+qHAMI1jc73xTWNkCEoK9iGY6RWL1n7dNIu4'],
        ['password', '$argon2i$v=19$m=65536,t=2,p=1$ZGlmZnNhbHQ$sDV8zPvvkfOGCw26RHsjSMvv7K2vmQq/6cxAcmxSEnE'],
      ],
      'argon2i',
    );
  });

  it('treats a missing v= as version 0x10 (reference v0x10 vectors)', async () => {
    await expectVectors(
      [
        ['password', '$argon2i$m=65536,t=2,p=1$c29tZXNhbHQ$9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ'],
        ['password', '$argon2i$m=256,t=2,p=2$c29tZXNhbHQ$tsEVYKap1h6scGt5ovl9aLRGOqOth+AMB+KwHpDFZPs'],
        ['password', '$argon2i$m=65536,t=2,p=1$ZGlmZnNhbHQ$eaEDuQ/orvhXDLMfyLIiWXeJFvgza3vaw4kladTxxJc'],
      ],
      'argon2i',
    );
  });

  it('reports the reference mismatch case as a wrong password', async () => {
    await expect(verify('$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$8iIuixkI73Js3G1uMbezQXD0b8LG4SXGsOwoQkdAQIM', 'password')).resolves.toEqual({
      match: false,
      scheme: 'argon2i',
    });
  });

  it('verifies Django argon2 hashes (argon2id, and old argon2i without v=)', async () => {
    await expectVectors(
      [
        ['secret', 'argon2$argon2id$v=19$m=102400,t=2,p=8$Y041dExhNkljRUUy$TMa6A8fPJhCAUXRhJXCXdw'],
        ['secret', 'argon2$argon2i$m=8,t=1,p=1$c29tZXNhbHQ$gwQOXSNhxiOxPOA0+PY10P9QFO4NAYysnqRt1GSQLE55m+2GYDt9FEjPMHhP2Cuf0nOEXXMocVrsJAtNSsKyfg'],
        ['secret', 'argon2$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$YC9+jJCrQhs5R6db7LlN8Q'],
      ],
      'django-argon2',
    );
    expect(toAuth0('argon2$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$YC9+jJCrQhs5R6db7LlN8Q')).toEqual({
      custom_password_hash: { algorithm: 'argon2', hash: { value: '$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$YC9+jJCrQhs5R6db7LlN8Q', encoding: 'utf8' } },
    });
  });

  it('rejects the reference decoder failures and other malformed strings', async () => {
    await expectRejects('$argon2i$v=19$m=65536,t=2,p=1c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA', 'hash_malformed');
    await expectRejects('$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQwWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA', 'hash_malformed');
    await expectRejects('$argon2i$v=19$m=65536,t=2,p=1$$9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ', 'hash_malformed');
    await expectRejects('$argon2i$v=19$m=065536,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA', 'hash_malformed');
    await expectRejects('$argon2i$v=18$m=65536,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA', 'hash_malformed');
    await expectRejects('$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ=$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA', 'hash_malformed');
    await expectRejects('$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHR$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA', 'hash_malformed');
  });

  it('bounds memory and time', async () => {
    await expectRejects('$argon2id$v=19$m=4194304,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA', 'hash_cost_too_high');
    await expectRejects('$argon2id$v=19$m=65536,t=1000,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA', 'hash_cost_too_high');
    await expectRejects('$argon2id$v=19$m=99999999999,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA', 'hash_cost_too_high');
  });

  it('identifies variants', () => {
    expect(identify('$argon2d$v=19$m=256,t=2,p=1$c29tZXNhbHQ$iekCn0Y3spW+sCcFanM2xBT63UP2sghkUoHLIUpWRS8')).toBe('argon2d');
    expect(identify('$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$iekCn0Y3spW+sCcFanM2xBT63UP2sghkUoHLIUpWRS8')).toBe('argon2id');
  });
});
