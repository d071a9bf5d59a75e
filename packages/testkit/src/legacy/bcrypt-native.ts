/**
 * bcrypt for the generator, borrowed from @ferry/core's dependency @node-rs/bcrypt
 * (node:crypto has no bcrypt). Testkit does not declare the package itself, so it is
 * resolved from @ferry/core's own location.
 */
import { createRequire } from 'node:module';

type BcryptModule = { hash(password: string, cost: number, salt: Uint8Array): Promise<string> };

let cached: BcryptModule | undefined;

/** The native bcrypt module, or a clear error when it cannot be found. */
export function nativeBcrypt(): BcryptModule {
  if (cached) return cached;
  try {
    const fromCore = createRequire(require.resolve('@ferry/core'));
    cached = fromCore('@node-rs/bcrypt') as BcryptModule;
    return cached;
  } catch (cause) {
    throw new Error("@ferry/testkit could not load @node-rs/bcrypt through @ferry/core; drop 'bcrypt' from the generator's formats.", { cause });
  }
}
