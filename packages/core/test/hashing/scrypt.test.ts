/**
 * scrypt formats and Firebase scrypt.
 * Sources: RFC 7914 section 12 (scrypt test vectors 1–3, written by us as PHC strings);
 * Django tests/auth_tests/test_hashers.py `test_scrypt`; Spring Security reference docs
 * (`{scrypt}` example, password "password"); zitadel/passwap internal/testvalues/scrypt.go
 * (generated with passlib, password "password"); firebase/scrypt README example
 * (password "user1password"), as repeated in firebase-scrypt-python and its ports.
 */
import { toAuth0, verify } from '../../src/hashing';
import { expectRejects, expectVectors } from './helpers';
import { UPASS_LETMEIN } from './vectors';

const b64 = (hex: string): string => Buffer.from(hex, 'hex').toString('base64').replace(/=+$/, '');
const text = (s: string): string => Buffer.from(s).toString('base64').replace(/=+$/, '');

const RFC2 = 'fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640';
const RFC3 = '7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887';

describe('scrypt strings', () => {
  it('verifies RFC 7914 vectors as passlib/PHC strings', async () => {
    await expectVectors(
      [
        ['password', `$scrypt$ln=10,r=8,p=16$${text('NaCl')}$${b64(RFC2)}`],
        ['pleaseletmein', `$scrypt$ln=14,r=8,p=1$${text('SodiumChloride')}$${b64(RFC3)}`],
        ['password', '$scrypt$ln=16,r=8,p=1$cmFuZG9tc2FsdGlzaGFyZA$Rh+NnJNo1I6nRwaNqbDm6kmADswD1+7FTKZ7Ln9D8nQ'],
      ],
      'scrypt',
    );
  });

  it('reads Kratos-style ln=N with padded base64', async () => {
    const pad = (s: string): string => s + '='.repeat((4 - (s.length % 4)) % 4);
    await expectVectors([['pleaseletmein', `$scrypt$ln=16384,r=8,p=1$${pad(text('SodiumChloride'))}$${pad(b64(RFC3))}`]], 'kratos-scrypt');
  });

  it('verifies Django and Spring scrypt', async () => {
    await expectVectors([[UPASS_LETMEIN, 'scrypt$16384$seasalt$8$1$Qj3+9PPyRjSJIebHnG81TMjsqtaIGxNQG/aEB/NYafTJ7tibgfYz71m0ldQESkXFRkdVCBhhY8mx7rQwite/Pw==']], 'django-scrypt');
    await expectVectors(
      [['password', '{scrypt}$e0801$8bWJaSu2IKSn9Z9kM+TPXfOc/9bdYSrN1oD9qfVThWEwdRTnO7re7Ei+fUZRJ68k9lTyuTeUp4of4g24hHnazw==$OAOec05+bXxvuu/1qZ6NUR+xQYvYv7BeL1QxwRpY5Pc=']],
      'spring-scrypt',
    );
  });

  it('rejects malformed and over-limit scrypt', async () => {
    await expectRejects(`$scrypt$ln=10,r=8,p=16$${text('NaCl')}=$${b64(RFC2)}`, 'hash_malformed');
    await expectRejects(`$scrypt$ln=010,r=8,p=16$${text('NaCl')}$${b64(RFC2)}`, 'hash_malformed');
    await expectRejects(`$scrypt$ln=10,r=0,p=16$${text('NaCl')}$${b64(RFC2)}`, 'hash_malformed');
    await expectRejects(`$scrypt$ln=30,r=8,p=1$${text('NaCl')}$${b64(RFC2)}`, 'hash_cost_too_high');
    await expectRejects(`$scrypt$ln=20,r=8,p=64$${text('NaCl')}$${b64(RFC2)}`, 'hash_cost_too_high');
    await expectRejects('scrypt$16385$seasalt$8$1$Qj3+9PPyRjSJIebHnG81TMjsqtaIGxNQG/aEB/NYafTJ7tibgfYz71m0ldQESkXFRkdVCBhhY8mx7rQwite/Pw==', 'hash_malformed');
  });

  it('converts to Auth0 scrypt objects that verify the same password', async () => {
    const converted = toAuth0('scrypt$16384$seasalt$8$1$Qj3+9PPyRjSJIebHnG81TMjsqtaIGxNQG/aEB/NYafTJ7tibgfYz71m0ldQESkXFRkdVCBhhY8mx7rQwite/Pw==');
    expect(converted).toMatchObject({ custom_password_hash: { algorithm: 'scrypt', salt: { value: 'seasalt', encoding: 'utf8' }, keylen: 64, cost: 16384, blockSize: 8, parallelization: 1 } });
    const custom = (converted as { custom_password_hash: object }).custom_password_hash;
    expect(await verify(custom as never, UPASS_LETMEIN)).toMatchObject({ match: true });
  });
});

describe('Firebase scrypt', () => {
  const firebase = {
    algorithm: 'firebase-scrypt',
    hash: 'lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==',
    salt: '42xEC+ixf3L2lw==',
    signerKey: 'jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==',
    saltSeparator: 'Bw==',
    rounds: 8,
    memCost: 14,
  };

  it('verifies the firebase/scrypt README example', async () => {
    await expectVectors([['user1password', firebase]], 'firebase-scrypt');
    expect(toAuth0(firebase)).toMatchObject({ unsupported: true, scheme: 'firebase-scrypt' });
  });

  it('rejects malformed Firebase objects', async () => {
    await expectRejects({ ...firebase, memCost: 40 }, 'hash_malformed');
    await expectRejects({ ...firebase, hash: 'lSrf' }, 'hash_malformed');
    await expectRejects({ ...firebase, signerKey: undefined } as never, 'hash_malformed');
  });
});
