/**
 * The verified-token memory of `ferry serve`: a token is trusted again only as itself,
 * only until it expires (or `maxAgeMs` passes), and the memory stays bounded.
 */
import type { Principal } from '../../src/server/auth';
import { VerifiedTokens } from '../../src/server/verified-tokens';

const caller = (client: string): Principal => ({ client, kind: 'jwt', scopes: new Set(['ferry:login']) });
const T0 = 1_700_000_000_000;

describe('VerifiedTokens', () => {
  it('answers the remembered caller for the same token only', () => {
    const tokens = new VerifiedTokens();
    tokens.set('header.payload.sig', caller('a@clients'), T0 / 1000 + 3600, T0);
    expect(tokens.get('header.payload.sig', T0 + 1)?.client).toBe('a@clients');
    expect(tokens.get('header.payload.siG', T0 + 1)).toBeUndefined();
  });

  it('forgets a token when it expires, and after maxAgeMs even if it expires later', () => {
    const tokens = new VerifiedTokens(60_000);
    tokens.set('short', caller('a@clients'), T0 / 1000 + 10, T0);
    tokens.set('long', caller('b@clients'), T0 / 1000 + 3600, T0);
    expect(tokens.get('short', T0 + 9_999)).toBeDefined();
    expect(tokens.get('short', T0 + 10_000)).toBeUndefined();
    expect(tokens.get('long', T0 + 59_999)).toBeDefined();
    expect(tokens.get('long', T0 + 60_000)).toBeUndefined();
    expect(tokens.size).toBe(0);
  });

  it('does not remember a token without exp or one already expired', () => {
    const tokens = new VerifiedTokens();
    tokens.set('no-exp', caller('a@clients'), undefined, T0);
    tokens.set('expired', caller('a@clients'), T0 / 1000 - 1, T0);
    expect(tokens.size).toBe(0);
  });

  it('drops the oldest entry when full', () => {
    const tokens = new VerifiedTokens(60_000, 2);
    const exp = T0 / 1000 + 3600;
    tokens.set('one', caller('1@clients'), exp, T0);
    tokens.set('two', caller('2@clients'), exp, T0);
    tokens.set('three', caller('3@clients'), exp, T0);
    expect(tokens.size).toBe(2);
    expect(tokens.get('one', T0)).toBeUndefined();
    expect(tokens.get('two', T0)?.client).toBe('2@clients');
    expect(tokens.get('three', T0)?.client).toBe('3@clients');
  });
});
