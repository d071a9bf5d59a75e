/**
 * Every `toAuth0` result must be importable: wrapped in a user record it validates
 * against Auth0's bulk-import schema (/work/shared/reference/auth0-user-import.schema.json,
 * transcribed from Auth0's documentation; a copy of the custom_password_hash part is
 * inlined here so the test does not depend on a path outside the repo).
 */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { toAuth0 } from '../../src/hashing';

const schema = {
  type: 'object',
  properties: {
    email: { type: 'string', format: 'email' },
    password_hash: { type: 'string' },
    custom_password_hash: {
      type: 'object',
      properties: {
        algorithm: { type: 'string', enum: ['argon2', 'bcrypt', 'hmac', 'ldap', 'md4', 'md5', 'sha1', 'sha256', 'sha512', 'pbkdf2', 'scrypt'] },
        hash: {
          type: 'object',
          properties: {
            value: { type: 'string' },
            encoding: { type: 'string', enum: ['base64', 'hex', 'utf8'] },
            digest: { type: 'string', enum: ['md4', 'md5', 'ripemd160', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'whirlpool'] },
            key: { type: 'object', required: ['value'], properties: { value: { type: 'string' }, encoding: { type: 'string', enum: ['base64', 'hex', 'utf8'], default: 'utf8' } } },
          },
        },
        salt: {
          type: 'object',
          properties: { value: { type: 'string' }, encoding: { type: 'string', enum: ['base64', 'hex', 'utf8'], default: 'utf8' }, position: { type: 'string', enum: ['prefix', 'suffix'], default: 'prefix' } },
          required: ['value'],
        },
        password: { type: 'object', properties: { encoding: { type: 'string', enum: ['ascii', 'utf8', 'utf16le', 'ucs2', 'latin1', 'binary'], default: 'utf8' } } },
        keylen: { type: 'integer' },
        cost: { type: 'integer', default: 16384 },
        blockSize: { type: 'integer', default: 8 },
        parallelization: { type: 'integer', default: 1 },
      },
      required: ['algorithm', 'hash'],
      additionalProperties: false,
    },
  },
  required: ['email'],
  additionalProperties: false,
};

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

const CONVERTIBLE = [
  '$2a$10$k87L/MF28Q673VKh8/cPi.SUl7MU/rWuSiIDDFayrKk/1tBsSQu4u',
  '$2y$05$c92SVSfjeiCD6F2nAD6y0uBpJDjdRkt0EgeC4/31Rf2LUZbDRDE.O',
  'bcrypt$$2a$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s.',
  '{bcrypt}$2a$10$dXJ3SW6G7P50lGmMkkmwe.20cQQubK3.HZWzG3YB1tlRy.fqvM/BG',
  '$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA',
  'argon2$argon2id$v=19$m=102400,t=2,p=8$Y041dExhNkljRUUy$TMa6A8fPJhCAUXRhJXCXdw',
  'pbkdf2_sha256$390000$seasalt$8xBlGd3jVgvJ+92hWPxi5ww0uuAuAnKgC45eudxro7c=',
  'pbkdf2_sha1$10000$wz5B6WkasRoF$atJmJ1o+XfJxKq1+Nu1f1i57Z5I=',
  '$pbkdf2-sha512$1212$RHY0Fr3IDMSVO/RSZyb5ow$eNLfBK.eVozomMr.1gYa17k9B7KIK25NOEshvhrSX.esqY3s.FvWZViXz4KoLlQI.BzY/YTNJOiKc5gBYFYGww',
  '{PBKDF2-SHA256}1212$4vjV83LKPjQzk31VI4E0Vw$hsYF68OiOUPdDZ1Fg.fJPeq1h/gXXY7acBp9/6c.tmQ',
  '{PKCS5S2}c4xaeTQM0lUieMS3V5voiexyX9XhqC2dBd5ecVy60IPksHChwoTAVYFrhsgoq8/p',
  'AQAAAAEAACcQAAAAEAABAgMEBQYHCAkKCwwNDg+yWU7rLgUwPZb1Itsmra7cbxw2EFpwpVFIEtP+JIuUEw==',
  'AAABAgMEBQYHCAkKCwwNDg+ukCEMDf0yyQ29NYubggHIVY0sdEUfdyeM+E1LtH1uJg==',
  '{SSHA}0H+zTv8o4MR4H43n03eCsvw1luG8LdB7',
  '{SMD5}UjFY34os/pnZQ3oQOzjqGu4yeXE=',
  '{SHA}at+xg6SiyUovktq1redipHiJpaE=',
  '{SHA}8d42e738c7adee551324955458b5e2c0b49ee655',
  'md5$seasalt$3f86d0d3d465b7b458c231bf3555c0e3',
  'sha1$seasalt$cff36ea83f5706ce9aa7454e63e431fc726b2dc8',
  '$stormpath2$MD5$1$NzEyN2ZhYzdkZTAyMjJlMGQyMWYxMWRmZmY2YjA1MWI=$K18Ak0YikAFrqgglhIaY5g==',
  '$stormpath1$SmVmZQ==$W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=',
  '$scrypt$ln=16,r=8,p=1$cmFuZG9tc2FsdGlzaGFyZA$Rh+NnJNo1I6nRwaNqbDm6kmADswD1+7FTKZ7Ln9D8nQ',
  'scrypt$16384$seasalt$8$1$Qj3+9PPyRjSJIebHnG81TMjsqtaIGxNQG/aEB/NYafTJ7tibgfYz71m0ldQESkXFRkdVCBhhY8mx7rQwite/Pw==',
] as const;

const STRUCTURED = [
  { algorithm: 'sha256', hash: { value: '5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8', encoding: 'hex' }, salt: { value: 'NaCl', position: 'suffix' }, ferryNote: 'dropped' },
  { algorithm: 'md4', hash: { value: '8a9d093f14f8701df17732b2bb182c74' } },
  { algorithm: 'hmac', hash: { value: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843', encoding: 'hex', digest: 'sha256', key: { value: 'Jefe' } } },
  { algorithm: 'SHA-1', value: 'at+xg6SiyUovktq1redipHiJpaE=' },
  { algorithm: 'PBKDF2', digestAlgorithm: 'SHA1_HMAC', iterationCount: 10000, keySize: 20, salt: 'wJuJqLoUFsdXa8k3sFhRlA==', value: 'XMGVWTbeKf4Xd+CGiuEZde8x7QA=' },
  { algorithm: 'gigya', hash: 'XMGVWTbeKf4Xd+CGiuEZde8x7QA=', hashSettings: { algorithm: 'pbkdf2', rounds: 10000, salt: 'wJuJqLoUFsdXa8k3sFhRlA==' } },
] as const;

const UNSUPPORTED = [
  '$1$dXc3I7Rw$ctlgjDdWJLMT.qwHsWhXR1',
  '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1',
  '$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0',
  '$S$DI7p94K2RG7Nq2OJp2/T55TfjT/K8UYdDVSUELOgCNbNoHU2sdtq',
  '*2C905879F74F28F8570989947D06A8429FB943E6',
  'bcrypt_sha256$$2a$06$/3OeRpbOf8/l6nPPRdZPp.nRiyYqPobEZGdNRBWihQhiFDh1ws1tu',
  '$wp$2y$10$Q1xinFjrZeLWJBvxviIL6u834Fu.evIEFHAUVisQ5O.w9Dm0sMdES',
  '$apr1$r31.....$HqJZimcKQFAMYayBlzkrA/',
] as const;

describe('toAuth0 output validates against the Auth0 import schema', () => {
  it.each([...CONVERTIBLE, ...STRUCTURED])('%j', (hash) => {
    const converted = toAuth0(hash as never);
    expect('unsupported' in converted).toBe(false);
    const record = { email: 'user@example.com', ...converted };
    const ok = validate(record);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it.each(UNSUPPORTED)('explains why Auth0 cannot take %s', (hash) => {
    const converted = toAuth0(hash);
    expect(converted).toMatchObject({ unsupported: true });
    expect((converted as { reason: string }).reason).toMatch(/^Auth0 cannot verify .+: Ferry verifies it itself, or the user migrates by trickle login\.$/);
  });
});
