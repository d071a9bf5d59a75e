/**
 * phpass (`$P$`/`$H$`) and Drupal 7 (`$S$`).
 * Sources: passlib passlib/tests/test_handlers.py `phpass_test` (the official phpass 0.3
 * source vector and JTR 1.7.9 vectors); Drupal 7: zitadel/passwap
 * internal/testvalues/drupal7.go (generated with passlib's drupal7 handler, password
 * "password") and the Kellerjmrtn/D7Password README example (password "password").
 */
import { toAuth0 } from '../../src/hashing';
import { expectRejects, expectVectors } from './helpers';
import { UPASS_TABLE } from './vectors';

describe('phpass', () => {
  it('verifies phpass vectors', async () => {
    await expectVectors(
      [
        ['test12345', '$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0'],
        ['test1', '$H$9aaaaaSXBjgypwqm.JsMssPLiS8YQ00'],
        ['123456', '$H$9PE8jEklgZhgLmZl5.HYJAzfGCQtzi1'],
        ['thisisalongertestPW', '$P$912345678LIjjb6PhecupozNBmDndU0'],
        ['JohnRipper', '$P$B12345678L6Lpt4BxNotVIMILOa9u81'],
        ['', '$P$7JaFQsPzJSuenezefD/3jHgt5hVfNH0'],
        [UPASS_TABLE, '$P$7SMy8VxnfsIy2Sxm7fJxDSdil.h7TW.'],
      ],
      'phpass',
    );
  });

  it('rejects malformed and absurd phpass strings', async () => {
    await expectRejects('$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r!L0', 'hash_malformed');
    await expectRejects('$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L', 'hash_malformed');
    await expectRejects('$P$3IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0', 'hash_malformed'); // '3' is 2^5 < 2^7
    await expectRejects('$P$SIQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0', 'hash_cost_too_high'); // count 2^30
    expect(toAuth0('$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0')).toMatchObject({ unsupported: true });
  });
});

describe('Drupal 7', () => {
  it('verifies Drupal 7 $S$ hashes', async () => {
    await expectVectors(
      [
        ['password', '$S$ErandomsaOpYrAZqwxGynirQbWYCb3ejW4BwGH81LJcOzbzeVd02'],
        ['password', '$S$DI7p94K2RG7Nq2OJp2/T55TfjT/K8UYdDVSUELOgCNbNoHU2sdtq'],
      ],
      'drupal7-sha512',
    );
  });

  it('rejects truncated or over-long Drupal hashes', async () => {
    await expectRejects('$S$DI7p94K2RG7Nq2OJp2/T55TfjT/K8UYdDVSUELOgCNbNoHU2sdt', 'hash_malformed');
    await expectRejects('$S$DI7p94K2RG7Nq2OJp2/T55TfjT/K8UYdDVSUELOgCNbNoHU2sdtqq', 'hash_malformed');
  });
});
