/** PasswordHashingService and hashingModule. */
import 'reflect-metadata';
import { Container } from 'inversify';
import { PasswordHashing } from '../../src/contracts/password-hashing';
import { FerryError } from '../../src/errors';
import { hashingModule, PasswordHashingService } from '../../src/hashing';

describe('PasswordHashingService', () => {
  const service = new PasswordHashingService();

  it('hashes with argon2id at OWASP parameters and verifies its own hashes', async () => {
    const hash = await service.hash('correct horse');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await service.verify(hash, 'correct horse')).toEqual({ match: true, scheme: 'argon2id' });
    expect(await service.verify(hash, 'wrong horse')).toEqual({ match: false, scheme: 'argon2id' });
    expect(service.needsRehash(hash)).toBe(false);
  });

  it('asks for a rehash of anything weaker or older', () => {
    expect(service.needsRehash('$2a$10$k87L/MF28Q673VKh8/cPi.SUl7MU/rWuSiIDDFayrKk/1tBsSQu4u')).toBe(true);
    expect(service.needsRehash('$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA')).toBe(true);
    expect(service.needsRehash('$argon2id$v=19$m=8192,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA')).toBe(true);
    expect(service.needsRehash('$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA')).toBe(false);
    expect(service.needsRehash({ algorithm: 'sha256', hash: { value: '5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8' } })).toBe(true);
  });

  it('names schemes and applies its own limits', async () => {
    expect(service.schemeOf('{SSHA}0H+zTv8o4MR4H43n03eCsvw1luG8LdB7')).toBe('ldap-ssha');
    const strict = new PasswordHashingService({ maxBcryptCost: 5 });
    await expect(strict.verify('$2a$10$k87L/MF28Q673VKh8/cPi.SUl7MU/rWuSiIDDFayrKk/1tBsSQu4u', 'a')).rejects.toMatchObject({ code: 'hash_cost_too_high' });
    expect(() => strict.schemeOf('$2a$10$k87L/MF28Q673VKh8/cPi.SUl7MU/rWuSiIDDFayrKk/1tBsSQu4u')).toThrow(FerryError);
    expect(() => new PasswordHashingService({ maxIterations: -1 })).toThrow(RangeError);
  });

  it('is bound as a singleton by hashingModule', async () => {
    const container = new Container();
    await container.load(hashingModule);
    const a = container.get(PasswordHashing);
    expect(a).toBeInstanceOf(PasswordHashingService);
    expect(container.get(PasswordHashing)).toBe(a);
    expect(container.get(PasswordHashingService)).toBe(a);
  });
});
