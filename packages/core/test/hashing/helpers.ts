/** Shared assertions for the hashing tests. */
import { FerryError } from '../../src/errors';
import type { LegacyHash } from '../../src/contracts/password-hash';
import { verify } from '../../src/hashing';

/** A published vector: the password and the hash it must match. */
export type Vector = readonly [password: string, hash: LegacyHash];

/** Asserts each vector matches, and that a wrong password does not. */
export async function expectVectors(vectors: readonly Vector[], scheme?: string): Promise<void> {
  for (const [password, hash] of vectors) {
    const ok = await verify(hash, password);
    expect({ hash, ...ok }).toEqual({ hash, match: true, scheme: scheme ?? ok.scheme });
    const wrong = await verify(hash, `x${password}`);
    expect({ hash, match: wrong.match }).toEqual({ hash, match: false });
  }
}

/** Asserts `promise` rejects with a Ferry error of `code` whose message leaks no secret. */
export async function expectHashError(promise: Promise<unknown>, code: string, secrets: readonly string[] = []): Promise<void> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FerryError);
  const ferry = err as FerryError;
  expect(ferry.code).toBe(code);
  for (const secret of secrets) {
    if (secret.length >= 6) expect(ferry.message + (ferry.hint ?? '')).not.toContain(secret);
  }
}

/** `verify(hash, password)` must reject with `code`, without echoing the hash. */
export function expectRejects(hash: LegacyHash, code: string, password = 'password'): Promise<void> {
  return expectHashError(verify(hash, password), code, typeof hash === 'string' ? [hash, hash.slice(-12)] : []);
}
