/**
 * Digest-based formats: LDAP RFC 2307, MySQL 4.1, Django md5/sha1, Stormpath, structured
 * (Auth0/Ferry) salted digests, HMAC and MD4, Okta hash objects.
 * Sources: passlib test_handlers.py (`ldap_*_test`, `mysql41_test` from JTR 1.7.9,
 * `hex_md4_test`, `RoundupTest`), Django tests/auth_tests/test_hashers.py (`test_md5`,
 * `test_sha1`, `test_unsalted_sha1`), passlib test_handlers_django.py, RFC 1320 (MD4 test
 * suite), RFC 4231 test case 2 (HMAC-SHA-256), Stormpath SDK integration tests
 * (stormpath-sdk-python/ruby/php, `$stormpath2$MD5$1$…` for "123456"/"password"/"qwerty").
 * Salted sha256/sha512 structured vectors are ours: the salted digest is computed with
 * node:crypto from the published unsalted passlib values' passwords, and says so.
 */
import { createHash } from 'node:crypto';
import { identify, md4, toAuth0, verify } from '../../src/hashing';
import { expectRejects, expectVectors } from './helpers';
import { UPASS_LETMEIN, UPASS_TABLE, UPASS_USD } from './vectors';

describe('MD4 (RFC 1320 test suite)', () => {
  it('matches the RFC vectors without OpenSSL', () => {
    const cases: [string, string][] = [
      ['', '31d6cfe0d16ae931b73c59d7e0c089c0'],
      ['a', 'bde52cb31de33e46245e05fbdbd6fb24'],
      ['abc', 'a448017aaf21d8525fc10ae87aa6729d'],
      ['message digest', 'd9130a8164549fe818874806e1c7014b'],
      ['abcdefghijklmnopqrstuvwxyz', 'd79e1c308aa5bbcdeea8ed63df412da9'],
      ['12345678901234567890123456789012345678901234567890123456789012345678901234567890', 'e33b4ddc9c38f2199c3e7b164fcc0536'],
    ];
    for (const [input, hex] of cases) expect(md4(Buffer.from(input)).toString('hex')).toBe(hex);
  });

  it('verifies structured md4 (passlib hex_md4 vectors)', async () => {
    await expectVectors([
      ['password', { algorithm: 'md4', hash: { value: '8a9d093f14f8701df17732b2bb182c74', encoding: 'hex' } }],
      [UPASS_TABLE, { algorithm: 'md4', hash: { value: '876078368c47817ce5f9115f3a42cf74' } }],
    ]);
  });
});

describe('LDAP RFC 2307', () => {
  it('verifies passlib ldap vectors', async () => {
    await expectVectors([
      ['helloworld', '{MD5}/F4DjTilcDIIVEHn/nAQsA=='],
      [UPASS_TABLE, '{MD5}BUc/ihn2aBXnN7MyZKDQsA=='],
      ['helloworld', '{SHA}at+xg6SiyUovktq1redipHiJpaE='],
      [UPASS_TABLE, '{SHA}4FmyYo46Pi3glWed6YIsHRRm4PA='],
      ['testing1234', '{SMD5}UjFY34os/pnZQ3oQOzjqGu4yeXE='],
      [UPASS_TABLE, '{SMD5}Z0ioJ58LlzUeRxm3K6JPGAvBGIM='],
      ['testing123', '{SSHA}0c0blFTXXNuAMHECS4uxrj3ZieMoWImr'],
      ['secret', '{SSHA}0H+zTv8o4MR4H43n03eCsvw1luG8LdB7'],
      [UPASS_TABLE, '{SSHA}3yCSD1nLZXznra4N8XzZgAL+s1sQYsx5'],
      ['sekrit', '{SHA}8d42e738c7adee551324955458b5e2c0b49ee655'],
      ['sekrit', '{MD5}ccbc53f4464604e714f69dd11138d8b5'],
    ]);
    expect(identify('{SSHA}0H+zTv8o4MR4H43n03eCsvw1luG8LdB7')).toBe('ldap-ssha');
  });

  it('passes {SSHA} through to Auth0 as ldap', () => {
    expect(toAuth0('{SSHA}0H+zTv8o4MR4H43n03eCsvw1luG8LdB7')).toEqual({ custom_password_hash: { algorithm: 'ldap', hash: { value: '{SSHA}0H+zTv8o4MR4H43n03eCsvw1luG8LdB7', encoding: 'utf8' } } });
  });

  it('rejects malformed LDAP values', async () => {
    await expectRejects('{SHA}at+xg6SiyUovktq1redipHiJpaE', 'hash_malformed');
    await expectRejects('{SHA}at+xg6SiyUovktq1redipHiJpaF=', 'hash_malformed');
    await expectRejects('{SSHA}at+xg6SiyUovktq1redipHiJpaE=', 'hash_malformed');
    await expectRejects('{FOO}bar', 'hash_unsupported');
  });
});

describe('MySQL 4.1 and Django digests', () => {
  it('verifies mysql41 vectors', async () => {
    await expectVectors(
      [
        ['verysecretpassword', '*2C905879F74F28F8570989947D06A8429FB943E6'],
        ['12345678123456781234567812345678', '*F9F1470004E888963FB466A5452C9CBD9DF6239C'],
        ["' OR 1 /*'", '*97CF7A3ACBE0CA58D5391AC8377B5D9AC11D46D9'],
        [UPASS_TABLE, '*E7AFE21A9CFA2FC9D15D942AE8FB5C240FE5837B'],
      ],
      'mysql41',
    );
    await expectRejects('*6Z8989366EAF75BB670AD8EA7A7FC1176A95CEF4', 'hash_malformed');
  });

  it('verifies Django md5/sha1 (salted and unsalted)', async () => {
    await expectVectors(
      [
        [UPASS_LETMEIN, 'md5$seasalt$3f86d0d3d465b7b458c231bf3555c0e3'],
        ['password', 'md5$123abcdef$c8272612932975ee80e8a35995708e80'],
        ['test', 'md5$3OpqnFAHW5CT$54b29300675271049a1ebae07b395e20'],
        [UPASS_USD, 'md5$c2e86$92105508419a81a6babfaecf876a2fa0'],
        [UPASS_LETMEIN, 'md5$$88a434c88cca4e900f7874cd98123f43'],
      ],
      'django-md5',
    );
    await expectVectors(
      [
        [UPASS_LETMEIN, 'sha1$seasalt$cff36ea83f5706ce9aa7454e63e431fc726b2dc8'],
        ['MyPassword', 'sha1$54123$893cf12e134c3c215f3a76bd50d13f92404a54d3'],
        [UPASS_TABLE, 'sha1$6d853$ef13a4d8fb57aed0cb573fe9c82e28dc7fd372d4'],
        [UPASS_LETMEIN, 'sha1$$6d138ca3ae545631b3abd71a4f076ce759c5700b'],
      ],
      'django-sha1',
    );
    await expectRejects('md5$aa$bb', 'hash_malformed');
    await expectRejects('sha1$c2e86$0f75', 'hash_malformed');
    expect(toAuth0('md5$seasalt$3f86d0d3d465b7b458c231bf3555c0e3')).toEqual({
      custom_password_hash: { algorithm: 'md5', hash: { value: '3f86d0d3d465b7b458c231bf3555c0e3', encoding: 'hex' }, salt: { value: 'seasalt', encoding: 'utf8', position: 'prefix' } },
    });
  });

  it('refuses a bare hex or base64 digest as ambiguous', async () => {
    // Django's unsalted_md5 vector: valid MD5, but Ferry will not guess the algorithm.
    await expectRejects('88a434c88cca4e900f7874cd98123f43', 'hash_unsupported');
    await expectRejects('at+xg6SiyUovktq1redipHiJpaE=', 'hash_unsupported');
    const err = await verify('88a434c88cca4e900f7874cd98123f43', 'x').catch((e: { hint?: string }) => e);
    expect((err as { hint: string }).hint).toMatch(/structured hash/);
  });
});

describe('Stormpath', () => {
  it('verifies $stormpath2$ vectors from the Stormpath SDK tests', async () => {
    await expectVectors(
      [
        ['123456', '$stormpath2$MD5$1$OWI3OTQwYjEwODEwOTdkNTcwZDY5NjQ2ZDNlNmZjNzM=$ULWTW74NXPyLYj3VfYHWrg=='],
        ['password', '$stormpath2$MD5$1$NzEyN2ZhYzdkZTAyMjJlMGQyMWYxMWRmZmY2YjA1MWI=$K18Ak0YikAFrqgglhIaY5g=='],
        ['qwerty', '$stormpath2$MD5$1$OGYyMmM5YzVlMDEwODEwZTg3MzM4ZTA2YjljZjMxYmE=$EuFAr2NTM83PrizVAYuOvw=='],
      ],
      'stormpath2-md5',
    );
    await expectRejects('$stormpath2$MD5$1$OWI3OTQwYjEwODEwOTdkNTcwZDY5NjQ2ZDNlNmZjNzM=$ULWTW74NXPyLYj3VfYHWrg', 'hash_malformed');
    await expectRejects('$stormpath2$MD6$1$$ULWTW74NXPyLYj3VfYHWrg==', 'hash_unsupported');
    await expectRejects('$stormpath2$MD5$0$$ULWTW74NXPyLYj3VfYHWrg==', 'hash_malformed');
    expect(toAuth0('$stormpath2$MD5$1$NzEyN2ZhYzdkZTAyMjJlMGQyMWYxMWRmZmY2YjA1MWI=$K18Ak0YikAFrqgglhIaY5g==')).toEqual({
      custom_password_hash: { algorithm: 'md5', hash: { value: 'K18Ak0YikAFrqgglhIaY5g==', encoding: 'base64' }, salt: { value: 'NzEyN2ZhYzdkZTAyMjJlMGQyMWYxMWRmZmY2YjA1MWI=', encoding: 'base64', position: 'prefix' } },
    });
  });

  it('reads $stormpath1$ as HMAC-SHA256 keyed by the salt (RFC 4231 case 2 as our vector)', async () => {
    const key = Buffer.from('Jefe').toString('base64');
    const mac = Buffer.from('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843', 'hex').toString('base64');
    await expectVectors([['what do ya want for nothing?', `$stormpath1$${key}$${mac}`]], 'stormpath1-hmac-sha256');
  });
});

describe('structured digests (Auth0 custom_password_hash shape)', () => {
  const salted = (alg: 'sha256' | 'sha1' | 'md5', salt: string, password: string, position: 'prefix' | 'suffix'): string =>
    createHash(alg).update(position === 'prefix' ? salt + password : password + salt).digest('hex');

  it('verifies salted sha256/sha1/md5 in both positions and encodings (computed by us with node:crypto)', async () => {
    for (const alg of ['sha256', 'sha1', 'md5'] as const) {
      for (const position of ['prefix', 'suffix'] as const) {
        const hex = salted(alg, 'NaCl', UPASS_TABLE, position);
        await expectVectors(
          [
            [UPASS_TABLE, { algorithm: alg, hash: { value: hex, encoding: 'hex' }, salt: { value: 'NaCl', position } }],
            [UPASS_TABLE, { algorithm: alg, hash: { value: hex.toUpperCase() }, salt: { value: Buffer.from('NaCl').toString('base64'), encoding: 'base64', position } }],
            [UPASS_TABLE, { algorithm: alg, hash: { value: Buffer.from(hex, 'hex').toString('base64'), encoding: 'base64' }, salt: { value: '4e61436c', encoding: 'hex', position } }],
          ],
          `salted-${alg}`,
        );
      }
    }
  });

  it('verifies unsalted structured digests against passlib hex_* vectors', async () => {
    await expectVectors([
      ['password', { algorithm: 'sha256', hash: { value: '5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8' } }],
      [UPASS_TABLE, { algorithm: 'sha1', hash: { value: 'e059b2628e3a3e2de095679de9822c1d1466e0f0' } }],
      ['password', { algorithm: 'sha512', hash: { value: 'b109f3bbbc244eb82441917ed06d618b9008dd09b3befd1b5e07394c706a8bb980b1d7785e5976ec049b46df5f1326af5a2ea6d103fd07c95385ffab0cacbc86' } }],
    ]);
  });

  it('honours password.encoding (utf16le; computed by us)', async () => {
    const value = createHash('md5').update(Buffer.from(UPASS_TABLE, 'utf16le')).digest('hex');
    await expectVectors([[UPASS_TABLE, { algorithm: 'md5', hash: { value }, password: { encoding: 'utf16le' } }]]);
  });

  it('verifies hmac objects (RFC 4231 test case 2)', async () => {
    await expectVectors([
      ['what do ya want for nothing?', { algorithm: 'hmac', hash: { value: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843', encoding: 'hex', digest: 'sha256', key: { value: 'Jefe' } } }],
    ]);
  });

  it('rejects malformed structured digests', async () => {
    await expectRejects({ algorithm: 'sha256', hash: { value: 'zz' } }, 'hash_malformed');
    await expectRejects({ algorithm: 'sha256', hash: { value: 'abcd' } }, 'hash_malformed');
    await expectRejects({ algorithm: 'sha256' }, 'hash_malformed');
    await expectRejects({ algorithm: 'sha256', hash: { value: '5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8' }, salt: { value: 'x', position: 'middle' } }, 'hash_malformed');
    await expectRejects({ algorithm: 'rot13', hash: { value: 'cnffjbeq' } }, 'hash_unsupported');
    await expectRejects({ algorithm: 'hmac', hash: { value: '00', digest: 'sha256' } }, 'hash_malformed');
  });
});

describe('Okta hash import objects', () => {
  it('verifies Okta SHA/MD5/BCRYPT/PBKDF2 objects (values built from the vectors above)', async () => {
    const sha = createHash('sha256').update('NaClpassword').digest('base64');
    await expectVectors([
      ['password', { algorithm: 'SHA-256', salt: Buffer.from('NaCl').toString('base64'), saltOrder: 'PREFIX', value: sha }],
      ['helloworld', { algorithm: 'SHA-1', value: 'at+xg6SiyUovktq1redipHiJpaE=' }],
      ['a', { algorithm: 'BCRYPT', workFactor: 10, salt: 'k87L/MF28Q673VKh8/cPi.', value: 'SUl7MU/rWuSiIDDFayrKk/1tBsSQu4u' }],
      ['Test@123', { algorithm: 'PBKDF2', digestAlgorithm: 'SHA1_HMAC', iterationCount: 10000, keySize: 20, salt: 'wJuJqLoUFsdXa8k3sFhRlA==', value: 'XMGVWTbeKf4Xd+CGiuEZde8x7QA=' }],
    ]);
    await expectRejects({ algorithm: 'SHA-256', value: 'at+xg6SiyUovktq1redipHiJpaE=' }, 'hash_malformed');
    await expectRejects({ algorithm: 'BCRYPT', salt: 'k87L/MF28Q673VKh8/cPi.', value: 'SUl7MU/rWuSiIDDFayrKk/1tBsSQu4u' }, 'hash_malformed');
  });
});
