/**
 * crypt(3) families: md5-crypt, apr1, sha256-crypt, sha512-crypt.
 * Sources: passlib passlib/tests/test_handlers.py (`_md5_crypt_test` from JTR 1.7.9,
 * `apr_md5_crypt_test` from the Apache httpd docs, `_sha256_crypt_test` and
 * `_sha512_crypt_test` from JTR 1.7.9 and Drepper's SHA-crypt.txt specification), with
 * their known_malformed_hashes.
 */
import { identify, toAuth0 } from '../../src/hashing';
import { expectRejects, expectVectors } from './helpers';
import { UPASS_TABLE } from './vectors';

describe('md5-crypt and apr1', () => {
  it('verifies md5-crypt vectors', async () => {
    await expectVectors(
      [
        ['U*U*U*U*', '$1$dXc3I7Rw$ctlgjDdWJLMT.qwHsWhXR1'],
        ['U*U***U', '$1$dXc3I7Rw$94JPyQc/eAgQ3MFMCoMF.0'],
        ['*U*U*U*U', '$1$eQT9Hwbt$XtuElNJD.eW5MN5UCWyTQ0'],
        ['', '$1$Eu.GHtia$CFkL/nE1BYTlEPiVx1VWX0'],
        ['4lpHa N|_|M3r1K W/ Cur5Es: #$%(*)(*%#', '$1$jQS7o98J$V6iTcr71CGgwW2laf17pi1'],
        ['s', '$1$ssssssss$YgmLTApYTv12qgTwBoj8i/'],
        [UPASS_TABLE, '$1$d6/Ky1lU$/xpf8m7ftmWLF.TjHCqel0'],
      ],
      'md5-crypt',
    );
  });

  it('verifies apr1 vectors', async () => {
    await expectVectors(
      [
        ['myPassword', '$apr1$r31.....$HqJZimcKQFAMYayBlzkrA/'],
        [UPASS_TABLE, '$apr1$bzYrOHUx$a1FcpXuQDJV3vPY20CS6N1'],
      ],
      'apr1-md5-crypt',
    );
  });

  it('rejects malformed md5-crypt/apr1 strings', async () => {
    await expectRejects('$1$dOHYPKoP$tnxS1T8Q6VVn3kpV8cN6o!', 'hash_malformed');
    await expectRejects('$apr1$r31.....$HqJZimcKQFAMYayBlzkrA!', 'hash_malformed');
    await expectRejects('$1$dOHYPKoPx$tnxS1T8Q6VVn3kpV8cN6o.', 'hash_malformed');
    await expectRejects('$1$dOHYPKoP$tnxS1T8Q6VVn3kpV8cN6o', 'hash_malformed');
    await expectRejects('$1$dOHYPKoPtnxS1T8Q6VVn3kpV8cN6o.', 'hash_malformed');
  });

  it('is not importable into Auth0', () => {
    expect(toAuth0('$1$dXc3I7Rw$ctlgjDdWJLMT.qwHsWhXR1')).toMatchObject({ unsupported: true, scheme: 'md5-crypt' });
  });
});

describe('sha256-crypt and sha512-crypt', () => {
  it('verifies sha256-crypt vectors (JTR and the specification)', async () => {
    await expectVectors(
      [
        ['U*U*U*U*', '$5$LKO/Ute40T3FNF95$U0prpBQd4PloSGU0pnpM4z9wKn4vZ1.jsrzQfPqxph9'],
        ['', '$5$kc7lRD1fpYg0g.IP$d7CMTcEqJyTXyeq8hTdu/jB/I6DGkoo62NXbHIR7S43'],
        ['test', '$5$rounds=11858$WH1ABM5sKhxbkgCK$aTQsjPkz0rBsH3lQlJxw9HDTDXPKBxC0LlVeV69P.t1'],
        ['with unic\u00D6de', '$5$rounds=1000$IbG0EuGQXw5EkMdP$LQ5AfPf13KufFsKtmazqnzSGZ4pxtUNw3woQ.ELRDF4'],
        ['Hello world!', '$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5'],
        ['Hello world!', '$5$rounds=10000$saltstringsaltst$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA'],
        ['we have a short salt string but not a short password', '$5$rounds=77777$short$JiO1O3ZpDAxGJeaDIuqCoEFysAe1mZNJRs3pw0KQRd/'],
      ],
      'sha256-crypt',
    );
  });

  it('verifies sha512-crypt vectors (JTR and the specification)', async () => {
    await expectVectors(
      [
        ['U*U*U*U*', '$6$LKO/Ute40T3FNF95$6S/6T2YuOIHY0N3XpLKABJ3soYcXD9mB7uVbtEZDj/LNscVhZoZ9DEH.sBciDrMsHOWOoASbNLTypH/5X26gN0'],
        ['', '$6$ojWH1AiTee9x1peC$QVEnTvRVlPRhcLQCk/HnHaZmlGAAjCfrAN0FtOsOnUk5K5Bn/9eLHHiRzrTzaIKjW9NTLNIBUCtNVOowWS2mN.'],
        ['Hello world!', '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1'],
        ['This is just a test', '$6$rounds=5000$toolongsaltstrin$lQ8jolhgVRVhY4b5pZKaysCLi0QBxGoNeKQzQ3glMhwllF7oGDZxUhx1yxdYcz/e1JSbq3y6JMxxl8audkUEm0'],
        [UPASS_TABLE, '$6$rounds=40000$PEZTJDiyzV28M3.m$GTlnzfzGB44DGd1XqlmC4erAJKCP.rhvLvrYxiT38htrNzVGBnplFOHjejUGVrCfusGWxLQCc3pFO0A/1jYYr0'],
      ],
      'sha512-crypt',
    );
  });

  it('verifies passwords past 256 bytes and an empty salt (generated with glibc crypt(3) through Python 3.11 crypt.crypt)', async () => {
    await expectVectors([['p'.repeat(300), '$6$rounds=1000$saltstring$42OJIIt5erp66WNg.tlb7MAxIQiY.zbffg2UHD8pgT8cMQ5W7J6RPaLPklA8/uD.Flz95EPbiQN2YBl2JguOm/']], 'sha512-crypt');
    await expectVectors([['p'.repeat(300), '$5$rounds=1000$saltstring$5C.cMQTbfXdY74osGaVyJHM4QrQYREjtAPQBVKYZ.mA']], 'sha256-crypt');
    await expectVectors([['pw', '$6$rounds=1000$$Ww46dvdmbJa51Tn2FjNpXolxguszXFYv9Rxe3VazHhtMSHfmYDtk1WRGASHU.A.aIG6LLP4iqYBXgPIOSQrGS0']], 'sha512-crypt');
  });

  it('rejects zero-padded rounds, bad characters, rounds below 1000 and absurd rounds', async () => {
    await expectRejects('$5$rounds=010428$uy/jIAhCetNCTtb0$YWvUOXbkqlqhyoPMpN8BMe.ZGsGx2aBvxTvDFI613c3', 'hash_malformed');
    await expectRejects('$5$rounds=10428$uy/:jIAhCetNCTtb0$YWvUOXbkqlqhyoPMpN8BMeZGsGx2aBvxTvDFI613c3', 'hash_malformed');
    await expectRejects('$6$rounds=011021$KsvQipYPWpr93wWP$v7xjI4X6vyVptJjB1Y02vZC5SaSijBkGmq1uJhPr3cvqvvkd42Xvo48yLVPFt8dvhCsnlUgpX.//Cxn91H4qy1', 'hash_malformed');
    await expectRejects('$6$rounds=11021$KsvQipYPWpr9:wWP$v7xjI4X6vyVptJjB1Y02vZC5SaSijBkGmq1uJhPr3cvqvvkd42Xvo48yLVPFt8dvhCsnlUgpX.//Cxn91H4qy1', 'hash_malformed');
    await expectRejects('$5$rounds=10$roundstoolow$yfvwcWrQ8l/K0DAWyuPMDNHpIVlTQebY9l/gL972bIC', 'hash_malformed');
    await expectRejects('$6$rounds=999999999$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1', 'hash_cost_too_high');
  });

  it('identifies LDAP {CRYPT} wrappers (passlib ldap_md5_crypt vectors)', async () => {
    await expectVectors([['test', '{CRYPT}$1$ec6XvcoW$ghEtNK2U1MC5l.Dwgi3020'], [UPASS_TABLE, '{CRYPT}$1$d6/Ky1lU$/xpf8m7ftmWLF.TjHCqel0']], 'ldap-crypt-md5-crypt');
    expect(identify('{CRYPT}$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1')).toBe('ldap-crypt-sha512-crypt');
    await expectRejects('{CRYPT}$1$dOHYPKoP$tnxS1T8Q6VVn3kpV8cN6o!', 'hash_malformed');
    await expectRejects('{CRYPT}nFia0rj2TT59A', 'hash_unsupported');
  });
});
