/**
 * verify() checks single digests (LDAP `{SHA}`/`{SSHA}`…, structured md4…sha512) by reading
 * them into reusable memory instead of a parsed object. These tests hold that path to the
 * parsed one — same answers, same errors in the same order — and to digests computed here
 * with node:crypto, over the inputs where the two could part: non-ASCII and very long
 * passwords, other password encodings, long salts, and parsed hashes kept across checks.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { LegacyHash } from '../../src/contracts/password-hash';
import type { JsonObject } from '../../src/contracts/profile';
import { FerryError } from '../../src/errors';
import { parseHash, verify } from '../../src/hashing';
import { writeUtf8 } from '../../src/hashing/codecs';

type Outcome = { match: boolean; scheme: string } | { code: string; message: string; hint: string | undefined };

function failure(err: unknown): Outcome {
  if (!(err instanceof FerryError)) throw err;
  return { code: err.code, message: err.message, hint: err.hint };
}

/** verify() as is. */
function viaVerify(hash: LegacyHash, password: string): Promise<Outcome> {
  return verify(hash, password).then((r) => ({ match: r.match, scheme: r.scheme }), failure);
}

/** The parsed-object path: parseHash, then the parsed hash's own verify. */
async function viaParse(hash: LegacyHash, password: string): Promise<Outcome> {
  try {
    const parsed = parseHash(hash);
    return { match: await parsed.verify(password), scheme: parsed.scheme };
  } catch (err) {
    return failure(err);
  }
}

async function expectSamePaths(hash: LegacyHash, password: string): Promise<Outcome> {
  const outcome = await viaVerify(hash, password);
  expect({ hash, outcome }).toEqual({ hash, outcome: await viaParse(hash, password) });
  return outcome;
}

const PASSWORDS = ['', 'correct horse battery staple', 'l\u00e8tmein', 't\u00e1\u0411\u2113\u0259', 'ab\u{1F600}cd', '\u{1F600}', 'x\ud800y', 'lone\udc00', 'é'.repeat(1500), 'a'.repeat(1400) + '\u{1F600}', 'z'.repeat(5000)];

function ldapHash(tag: string, digest: string, password: string, salt: Buffer): string {
  return `{${tag}}${Buffer.concat([createHash(digest).update(password, 'utf8').update(salt).digest(), salt]).toString('base64')}`;
}

describe('single digests: verify() and the parsed path agree', () => {
  it('matches node:crypto for LDAP salted and unsalted digests, any password', async () => {
    for (const password of PASSWORDS) {
      for (const [tag, digest] of [
        ['SSHA', 'sha1'],
        ['SSHA256', 'sha256'],
        ['SSHA512', 'sha512'],
        ['SMD5', 'md5'],
      ] as const) {
        for (const salt of [randomBytes(1), randomBytes(16), randomBytes(300)]) {
          const hash = ldapHash(tag, digest, password, salt);
          expect(await expectSamePaths(hash, password)).toEqual({ match: true, scheme: `ldap-${tag.toLowerCase()}` });
          expect(await expectSamePaths(hash, `${password}x`)).toMatchObject({ match: false });
        }
      }
      const sha = createHash('sha1').update(password, 'utf8').digest();
      expect(await expectSamePaths(`{SHA}${sha.toString('base64')}`, password)).toEqual({ match: true, scheme: 'ldap-sha' });
      expect(await expectSamePaths(`{SHA}${sha.toString('hex')}`, password)).toEqual({ match: true, scheme: 'ldap-sha-hex' });
    }
  });

  it('matches node:crypto for structured digests: salt encodings, positions, password encodings, long salts', async () => {
    const saltTexts: [string, 'utf8' | 'hex' | 'base64'][] = [
      ['NaCl', 'utf8'],
      ['s\u00e8l\u{1F9C2}', 'utf8'],
      ['', 'utf8'],
      [randomBytes(20).toString('hex'), 'hex'],
      [randomBytes(20).toString('base64'), 'base64'],
      [randomBytes(3000).toString('base64'), 'base64'],
      ['ab'.repeat(5000), 'utf8'],
    ];
    for (const password of PASSWORDS) {
      for (const [saltValue, saltEncoding] of saltTexts) {
        for (const position of ['prefix', 'suffix'] as const) {
          for (const passwordEncoding of ['utf8', 'latin1', 'utf16le'] as const) {
            const salt = Buffer.from(saltValue, saltEncoding);
            const pw = Buffer.from(password, passwordEncoding);
            const digest = createHash('sha256')
              .update(position === 'prefix' ? Buffer.concat([salt, pw]) : Buffer.concat([pw, salt]))
              .digest();
            const hash = { algorithm: 'sha256', hash: { value: digest.toString('base64'), encoding: 'base64' }, salt: { value: saltValue, encoding: saltEncoding, position }, password: { encoding: passwordEncoding } };
            expect(await expectSamePaths(hash, password)).toEqual({ match: true, scheme: 'salted-sha256' });
            expect(await expectSamePaths(hash, `${password}!`)).toMatchObject({ match: false });
          }
        }
      }
    }
  });

  it('gives the same errors, in the same order, for malformed values', async () => {
    const valid = ldapHash('SSHA', 'sha1', 'secret', randomBytes(8));
    const edits = 'ABCab09+/=-_.{}$ \u00e9\u0100';
    const strings: string[] = ['{SSHA}', '{SSHA}====', '{SHA}', '{SHA}abc', '{SMD5}' + 'A'.repeat(24), '{SSHA512}' + 'A'.repeat(88), '{CRYPT}$1$salt$hash', '{CRYPT}nope', '{SHA}' + 'g'.repeat(40), '{SSHA}' + 'A'.repeat(6000)];
    for (let i = 0; i < 3000; i++) {
      const at = 1 + (i % (valid.length - 1));
      const ch = edits[i % edits.length] ?? '=';
      strings.push(i % 3 === 0 ? valid.slice(0, at) + valid.slice(at + 1) : i % 3 === 1 ? valid.slice(0, at) + ch + valid.slice(at + 1) : valid.slice(0, at) + ch + valid.slice(at));
    }
    for (const hash of strings) await expectSamePaths(hash, 'secret');

    const hex = createHash('sha256').update('NaClpw').digest('hex');
    const objects: JsonObject[] = [
      { algorithm: 'sha256' },
      { algorithm: 'sha256', hash: 'x' },
      { algorithm: 'sha256', hash: {} },
      { algorithm: 'sha256', hash: { value: 5 } },
      { algorithm: 'sha256', hash: { value: hex, encoding: 'utf8' } },
      { algorithm: 'sha256', hash: { value: hex.slice(2) } },
      { algorithm: 'sha256', hash: { value: `${hex}0` } },
      { algorithm: 'sha256', hash: { value: hex, encoding: 'base64' } },
      { algorithm: 'sha256', hash: { value: hex }, password: 'utf8' },
      { algorithm: 'sha256', hash: { value: hex }, password: { encoding: 'ebcdic' } },
      { algorithm: 'sha256', hash: { value: hex }, salt: 'NaCl' },
      { algorithm: 'sha256', hash: { value: hex }, salt: { value: 'NaCl', encoding: 'rot13' } },
      { algorithm: 'sha256', hash: { value: hex }, salt: { encoding: 'hex' } },
      { algorithm: 'sha256', hash: { value: hex }, salt: { value: 'xyz', encoding: 'hex' } },
      { algorithm: 'sha256', hash: { value: hex }, salt: { value: 'NaCl', position: 'middle' } },
      // Several faults at once: the first one checked is reported, on both paths.
      { algorithm: 'sha256', hash: { value: 'zz', encoding: 'rot13' }, salt: { value: 'xyz', encoding: 'hex', position: 'middle' } },
      { algorithm: 'sha256', hash: { value: 'zz' }, salt: { value: 'xyz', encoding: 'hex', position: 'middle' } },
      { algorithm: 'sha256', hash: { value: 'zz' }, salt: { value: 'NaCl', position: 'middle' } },
      { algorithm: 'sha256', hash: { value: 'zz' }, password: { encoding: 'ebcdic' }, salt: { value: 'xyz', encoding: 'hex' } },
      { algorithm: 'sha224', hash: { value: createHash('sha224').update('pw').digest('hex') } },
      { algorithm: 'md4', hash: { value: '8a9d093f14f8701df17732b2bb182c74' } },
      { algorithm: 'sha256', hash: { value: hex }, salt: { value: 'NaCl' } },
    ];
    for (const hash of objects) await expectSamePaths(hash as LegacyHash, 'pw');
  });

  it('parsed hashes keep their own bytes while verify() reuses its memory', async () => {
    const a = ldapHash('SSHA', 'sha1', 'alpha', randomBytes(16));
    const b = ldapHash('SSHA', 'sha1', 'bravo', randomBytes(16));
    const parsedA = parseHash(a);
    const structured = parseHash({ algorithm: 'sha1', hash: { value: createHash('sha1').update('NaClalpha').digest('hex') }, salt: { value: 'NaCl' } });
    expect(await verify(b, 'bravo')).toEqual({ match: true, scheme: 'ldap-ssha' });
    expect(await verify({ algorithm: 'sha1', hash: { value: createHash('sha1').update('Xbravo').digest('hex') }, salt: { value: 'X' } }, 'bravo')).toMatchObject({ match: true });
    expect(await parsedA.verify('alpha')).toBe(true);
    expect(await structured.verify('alpha')).toBe(true);
    expect(parsedA.toAuth0()).toEqual({ custom_password_hash: { algorithm: 'ldap', hash: { value: a, encoding: 'utf8' } } });
  });
});

describe('writeUtf8', () => {
  it('writes exactly what Buffer#write does', () => {
    const out = Buffer.alloc(512);
    const reference = Buffer.alloc(out.length);
    const pieces = ['a', 'Z', '~', '\u007f', '\u0080', '\u00e9', '\u2113', '\ud83d\ude00', '\ud800', '\udc00', '\uffff', '\u0000'];
    for (let i = 0; i < 2000; i++) {
      let text = '';
      const length = i % 64;
      for (let j = 0; j < length; j++) text += (i + j) % 5 === 0 ? (pieces[(i * 7 + j) % pieces.length] ?? '') : String.fromCharCode(0x20 + ((i * 31 + j) % 95));
      const at = i % 7;
      out.fill(0xaa);
      reference.fill(0xaa);
      const n = writeUtf8(text, out, at);
      expect({ text, n, out: out.toString('hex') }).toEqual({ text, n: reference.write(text, at), out: reference.toString('hex') });
    }
  });
});
