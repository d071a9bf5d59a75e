/**
 * `ferry hash identify | verify | to-auth0` on the built binary.
 */
import { createHash, pbkdf2Sync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { ferry } from './run-cli';

// Django's pbkdf2_sha256 layout: algorithm$iterations$salt$base64(dk) (computed here with node:crypto).
const django = `pbkdf2_sha256$1000$pepper42$${pbkdf2Sync('s3cret!', 'pepper42', 1000, 32, 'sha256').toString('base64')}`;
const salted = JSON.stringify({
  algorithm: 'sha256',
  hash: { value: createHash('sha256').update('NaCl' + 'hunter2').digest('hex'), encoding: 'hex' },
  salt: { value: 'NaCl', position: 'prefix' },
});
const cwd = tmpdir();

describe('ferry hash', () => {
  it('identifies string and structured hashes, and refuses to guess a bare hex digest', async () => {
    expect((await ferry(['hash', 'identify', django, '--json'], { cwd })).json()).toEqual({ scheme: expect.stringContaining('pbkdf2') });
    expect((await ferry(['hash', 'identify', salted], { cwd })).code).toBe(0);
    const bare = await ferry(['hash', 'identify', 'ab'.repeat(32)], { cwd });
    expect(bare.code).toBe(3);
    expect(bare.stderr).not.toMatch(/\n\s+at /);
  });

  it('verifies one hash with the password from stdin', async () => {
    const ok = await ferry(['hash', 'verify', '--hash', django, '--password-stdin', '--json'], { cwd, stdin: 's3cret!\n' });
    expect(ok.json()).toEqual({ match: true, scheme: expect.any(String) });
    const no = await ferry(['hash', 'verify', '--hash', django, '--password-stdin'], { cwd, stdin: 'wrong\n' });
    expect(no.code).toBe(1);
  });

  it('verifies NDJSON batches line by line, with an error only for the bad lines', async () => {
    const input = [
      JSON.stringify({ hash: django, password: 's3cret!' }),
      JSON.stringify({ hash: JSON.parse(salted) as object, password: 'nope' }),
      'not json',
      JSON.stringify({ hash: '$2b$99$' + 'a'.repeat(53), password: 'x' }),
      JSON.stringify({ hash: JSON.parse(salted) as object, password: 'hunter2' }),
    ].join('\n');
    const r = await ferry(['hash', 'verify', '--ndjson'], { cwd, stdin: `${input}\n` });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toEqual(expect.objectContaining({ match: true }));
    expect(lines[1]).toEqual(expect.objectContaining({ match: false }));
    expect(lines[2]).toHaveProperty('error');
    expect(lines[3]).toHaveProperty('error');
    expect(lines[4]).toEqual(expect.objectContaining({ match: true }));
    expect(r.stdout).not.toContain('hunter2');
    expect(r.stdout).not.toContain('s3cret!');
  });

  it("converts to Auth0's form where Auth0 can verify it", async () => {
    const r = await ferry(['hash', 'to-auth0', django, '--json'], { cwd });
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({ custom_password_hash: expect.objectContaining({ algorithm: 'pbkdf2' }) });
  });
});
