/**
 * PBKDF2 formats.
 * Sources:
 * - Django tests/auth_tests/test_hashers.py (`test_pbkdf2`, `test_low_level_pbkdf2`,
 *   `test_low_level_pbkdf2_sha1`) and passlib test_handlers_django.py (Django 1.4 hashes).
 * - passlib test_handlers.py: `pbkdf2_sha1/256/512_test`, `ldap_pbkdf2_test`,
 *   `atlassian_pbkdf2_sha1_test` (generated with Jira) and their malformed cases.
 * - dotnet/aspnetcore src/Identity/test/Identity.Test/PasswordHasherTest.cs (password
 *   "my password") including its failure payloads.
 * - RFC 6070 PBKDF2-HMAC-SHA1 vectors, written by us as PHC strings.
 * - Gigya's documented pbkdf2 example (password Test@123).
 */
import { toAuth0, verify } from '../../src/hashing';
import { expectRejects, expectVectors } from './helpers';
import { UPASS_LETMEIN, UPASS_TABLE, UPASS_WAV } from './vectors';

const b64 = (hex: string): string => Buffer.from(hex, 'hex').toString('base64').replace(/=+$/, '');
const saltB64 = (text: string): string => Buffer.from(text).toString('base64').replace(/=+$/, '');

describe('Django pbkdf2', () => {
  it('verifies Django pbkdf2_sha256 and pbkdf2_sha1', async () => {
    await expectVectors(
      [
        [UPASS_LETMEIN, 'pbkdf2_sha256$390000$seasalt$8xBlGd3jVgvJ+92hWPxi5ww0uuAuAnKgC45eudxro7c='],
        [UPASS_LETMEIN, 'pbkdf2_sha256$390000$seasalt2$geC/uZ92nRXDSjSxeoiBqYyRcrLzMm8xK3ro1QS1uo8='],
        ['not a password', 'pbkdf2_sha256$10000$kjVJaVz6qsnJ$5yPHw3rwJGECpUf70daLGhOrQ5+AMxIJdz1c3bqK1Rs='],
        [UPASS_TABLE, 'pbkdf2_sha256$10000$bEwAfNrH1TlQ$OgYUblFNUX1B8GfMqaCYUK/iHyO0pa7STTDdaEJBuY0='],
      ],
      'django-pbkdf2-sha256',
    );
    await expectVectors(
      [
        [UPASS_LETMEIN, 'pbkdf2_sha1$390000$seasalt2$aDapRanzW8aHTz97v2TcfHzWD+I='],
        ['not a password', 'pbkdf2_sha1$10000$wz5B6WkasRoF$atJmJ1o+XfJxKq1+Nu1f1i57Z5I='],
        [UPASS_TABLE, 'pbkdf2_sha1$10000$KZKWwvqb8BfL$rw5pWsxJEU4JrZAQhHTCO+u0f5Y='],
      ],
      'django-pbkdf2-sha1',
    );
  });

  it('rejects zero-padded iterations, bad base64 and wrong lengths', async () => {
    await expectRejects('pbkdf2_sha256$0390000$seasalt$8xBlGd3jVgvJ+92hWPxi5ww0uuAuAnKgC45eudxro7c=', 'hash_malformed');
    await expectRejects('pbkdf2_sha256$390000$seasalt$8xBlGd3jVgvJ+92hWPxi5ww0uuAuAnKgC45eudxro7c', 'hash_malformed');
    await expectRejects('pbkdf2_sha256$390000$seasalt$8xBlGd3jVgvJ+92hWPxi5ww0uuAuAnKgC45eudxro7d=', 'hash_malformed');
    await expectRejects('pbkdf2_sha256$390000$seasalt$atJmJ1o+XfJxKq1+Nu1f1i57Z5I=', 'hash_malformed');
    await expectRejects('pbkdf2_sha256$390000$$8xBlGd3jVgvJ+92hWPxi5ww0uuAuAnKgC45eudxro7c=', 'hash_malformed');
    await expectRejects('pbkdf2_sha256$99999999999$seasalt$8xBlGd3jVgvJ+92hWPxi5ww0uuAuAnKgC45eudxro7c=', 'hash_cost_too_high');
  });

  it('converts to an Auth0 PHC pbkdf2 string', async () => {
    const converted = toAuth0('pbkdf2_sha256$390000$seasalt$8xBlGd3jVgvJ+92hWPxi5ww0uuAuAnKgC45eudxro7c=');
    expect(converted).toEqual({
      custom_password_hash: { algorithm: 'pbkdf2', hash: { value: `$pbkdf2-sha256$i=390000,l=32$${saltB64('seasalt')}$8xBlGd3jVgvJ+92hWPxi5ww0uuAuAnKgC45eudxro7c`, encoding: 'utf8' } },
    });
    // The converted PHC string verifies the same password.
    const phc = (converted as { custom_password_hash: { hash: { value: string } } }).custom_password_hash.hash.value;
    expect(await verify(phc, UPASS_LETMEIN)).toEqual({ match: true, scheme: 'pbkdf2-sha256' });
  });
});

describe('PHC, passlib and LDAP pbkdf2', () => {
  it('verifies RFC 6070 vectors as PHC strings', async () => {
    await expectVectors(
      [
        ['password', `$pbkdf2-sha1$i=1,l=20$${saltB64('salt')}$${b64('0c60c80f961f0e71f3a9b524af6012062fe037a6')}`],
        ['password', `$pbkdf2-sha1$i=2,l=20$${saltB64('salt')}$${b64('ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957')}`],
        ['password', `$pbkdf2-sha1$i=4096,l=20$${saltB64('salt')}$${b64('4b007901b765489abead49d926f721d065a429c1')}`],
        ['passwordPASSWORDpassword', `$pbkdf2-sha1$i=4096,l=25$${saltB64('saltSALTsaltSALTsaltSALTsaltSALTsalt')}$${b64('3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038')}`],
      ],
      'pbkdf2-sha1',
    );
  });

  it('verifies passlib pbkdf2 and LDAP pbkdf2 strings', async () => {
    await expectVectors([
      ['password', '$pbkdf2$1212$OB.dtnSEXZK8U5cgxU/GYQ$y5LKPOplRmok7CZp/aqVDVg8zGI'],
      [UPASS_WAV, '$pbkdf2$1212$THDqatpidANpadlLeTeOEg$HV3oi1k5C5LQCgG1BMOL.BX4YZc'],
      ['password', '$pbkdf2-sha256$1212$4vjV83LKPjQzk31VI4E0Vw$hsYF68OiOUPdDZ1Fg.fJPeq1h/gXXY7acBp9/6c.tmQ'],
      [UPASS_WAV, '$pbkdf2-sha256$1212$3SABFJGDtyhrQMVt1uABPw$WyaUoqCLgvz97s523nF4iuOqZNbp5Nt8do/cuaa7AiI'],
      ['password', '$pbkdf2-sha512$1212$RHY0Fr3IDMSVO/RSZyb5ow$eNLfBK.eVozomMr.1gYa17k9B7KIK25NOEshvhrSX.esqY3s.FvWZViXz4KoLlQI.BzY/YTNJOiKc5gBYFYGww'],
      ['password', '{PBKDF2}1212$OB.dtnSEXZK8U5cgxU/GYQ$y5LKPOplRmok7CZp/aqVDVg8zGI'],
      ['password', '{PBKDF2-SHA256}1212$4vjV83LKPjQzk31VI4E0Vw$hsYF68OiOUPdDZ1Fg.fJPeq1h/gXXY7acBp9/6c.tmQ'],
      ['sekrit', '{PBKDF2}5000$7BvbBq.EZzz/O0HuwX3iP.nAG3s$g3oPnFFaga2BJaX5PoPRljl4XIE'],
    ]);
  });

  it('rejects malformed pbkdf2 strings', async () => {
    await expectRejects('$pbkdf2$01212$OB.dtnSEXZK8U5cgxU/GYQ$y5LKPOplRmok7CZp/aqVDVg8zGI', 'hash_malformed');
    await expectRejects('$pbkdf2$1212$OB.dtnSEXZK8U5cgxU/GYQ$y5LKPOplRmok7CZp/aqVDVg8zG', 'hash_malformed');
    await expectRejects('$pbkdf2$1212$OB+dtnSEXZK8U5cgxU/GYQ$y5LKPOplRmok7CZp/aqVDVg8zGI', 'hash_malformed');
    await expectRejects(`$pbkdf2-sha1$i=1,l=21$${saltB64('salt')}$${b64('0c60c80f961f0e71f3a9b524af6012062fe037a6')}`, 'hash_malformed');
    await expectRejects(`$pbkdf2-sha1$i=1,x=2$${saltB64('salt')}$${b64('0c60c80f961f0e71f3a9b524af6012062fe037a6')}`, 'hash_malformed');
  });

  it('verifies Atlassian {PKCS5S2} and rejects its malformed forms', async () => {
    await expectVectors(
      [
        ['admin', '{PKCS5S2}c4xaeTQM0lUieMS3V5voiexyX9XhqC2dBd5ecVy60IPksHChwoTAVYFrhsgoq8/p'],
        [UPASS_WAV, '{PKCS5S2}cE9Yq6Am5tQGdHSHhky2XLeOnURwzaLBG2sur7FHKpvy2u0qDn6GcVGRjlmJoIUy'],
      ],
      'atlassian-pbkdf2-sha1',
    );
    await expectRejects('{PKCS5S2}c4xaeTQM0lUieMS3V5voiexyX9XhqC2dBd5ecVy!0IPksHChwoTAVYFrhsgoq8/p', 'hash_malformed');
    await expectRejects('{PKCS5S2}c4xaeTQM0lUieMS3V5voiexyX9XhqC2dBd5ecVy60IPksHChwoTAVYFrhsgoq8/', 'hash_malformed');
    await expectRejects('{PKCS5S2}c4xaeTQM0lUieMS3V5voiexyX9XhqC2dBd5ecVy60IPksHChwoTAVYFrhsgoq8/=', 'hash_malformed');
  });
});

describe('ASP.NET Identity', () => {
  it('verifies the aspnetcore PasswordHasher test payloads', async () => {
    await expectVectors([['my password', 'AAABAgMEBQYHCAkKCwwNDg+ukCEMDf0yyQ29NYubggHIVY0sdEUfdyeM+E1LtH1uJg=='], ['my password', 'ANXrDknc7fGPpigibZXXZFMX4aoqz44JveK6jQuwY3eH/UyPhvr5xTPeGYEckLxz9A==']], 'aspnet-identity-v2');
    await expectVectors(
      [
        ['my password', 'AQAAAAEAACcQAAAAEAABAgMEBQYHCAkKCwwNDg+yWU7rLgUwPZb1Itsmra7cbxw2EFpwpVFIEtP+JIuUEw=='],
        ['my password', 'AQAAAAIAAAAyAAAAEOMwvh3+FZxqkdMBz2ekgGhwQ4B6pZWND6zgESBuWiHw'],
        ['my password', 'AQAAAAIAAAD6AAAAIJbVi5wbMR+htSfFp8fTw8N8GOS/Sje+S/4YZcgBfU7EQuqv4OkVYmc4VJl9AGZzmRTxSkP7LtVi9IWyUxX8IAAfZ8v+ZfhjCcudtC1YERSqE1OEdXLW9VukPuJWBBjLuw=='],
        ['my password', 'AQAAAAAAAAD6AAAAEAhftMyfTJylOlZT+eEotFXd1elee8ih5WsjXaR3PA9M'],
        ['my password', 'AQAAAAEAA9CQAAAAIESkQuj2Du8Y+kbc5lcN/W/3NiAZFEm11P27nrSN5/tId+bR1SwV8CO1Jd72r4C08OLvplNlCDc3oQZ8efcW+jQ='],
      ],
      'aspnet-identity-v3',
    );
  });

  it('fails the reference failure payloads', async () => {
    expect(await verify('AAABAgMEBQYHCAkKCwwNDg+uAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAALtH1uJg==', 'my password')).toEqual({ match: false, scheme: 'aspnet-identity-v2' });
    expect(await verify('AQAAAAAAAAD6AAAAEAhftMyfTJyAAAAAAAAAAAAAAAAAAAih5WsjXaR3PA9M', 'my password')).toEqual({ match: false, scheme: 'aspnet-identity-v3' });
    // Too short / extra data: the layout no longer matches, so the value is refused outright.
    for (const bad of [
      'AAABAgMEBQYHCAkKCwwNDg+ukCEMDf0yyQ29NYubggE=',
      'AAABAgMEBQYHCAkKCwwNDg+ukCEMDf0yyQ29NYubggHIVY0sdEUfdyeM+E1LtH1uJgAAAAAAAAAAAAA=',
      'AQAAAAIAAAAyAAAAEOMwvh3+FZxqkdMBz2ekgGhwQ4A=',
    ]) {
      await expectRejects(bad, 'hash_unsupported', 'my password');
    }
    // "Extra data at end" on v3 only lengthens the subkey, which the reference also reads as a mismatch.
    expect(await verify('AQAAAAIAAAAyAAAAEOMwvh3+FZxqkdMBz2ekgGhwQ4B6pZWND6zgESBuWiHwAAAAAAAAAAAA', 'my password')).toEqual({ match: false, scheme: 'aspnet-identity-v3' });
  });

  it('converts to Auth0 PHC', () => {
    expect(toAuth0('AQAAAAEAACcQAAAAEAABAgMEBQYHCAkKCwwNDg+yWU7rLgUwPZb1Itsmra7cbxw2EFpwpVFIEtP+JIuUEw==')).toEqual({
      custom_password_hash: { algorithm: 'pbkdf2', hash: { value: '$pbkdf2-sha256$i=10000,l=32$AAECAwQFBgcICQoLDA0ODw$sllO6y4FMD2W9SLbJq2u3G8cNhBacKVRSBLT/iSLlBM', encoding: 'utf8' } },
    });
  });
});

describe('Gigya pbkdf2 (structured)', () => {
  it("verifies Gigya's documented example and converts it to PHC", async () => {
    const gigya = { hash: 'XMGVWTbeKf4Xd+CGiuEZde8x7QA=', hashSettings: { algorithm: 'pbkdf2', rounds: 10000, salt: 'wJuJqLoUFsdXa8k3sFhRlA==' } };
    await expectVectors([['Test@123', { algorithm: 'gigya', ...gigya }]], 'gigya-pbkdf2');
    expect(await verify(gigya as never, 'Test@123')).toEqual({ match: true, scheme: 'gigya-pbkdf2' });
    expect(toAuth0({ algorithm: 'gigya', ...gigya })).toEqual({
      custom_password_hash: { algorithm: 'pbkdf2', hash: { value: '$pbkdf2-sha1$i=10000,l=20$wJuJqLoUFsdXa8k3sFhRlA$XMGVWTbeKf4Xd+CGiuEZde8x7QA', encoding: 'utf8' } },
    });
  });
});
