/** A fake Gigya site and IdentitySync file writer for tests, examples and benchmarks. */
export { type FakeGigya, type FakeGigyaFailure, type FakeGigyaOptions, type FakeGigyaRequest, startFakeGigya } from './fake-gigya-server';
export {
  buildFakeAccount,
  type FakeGigyaAccount,
  type FakeGigyaAccountInput,
  type FakeGigyaLoginState,
  type FakeGigyaPassword,
  fakeGigyaUid,
  GENERATED_HASH_KINDS,
  type GeneratedHashKind,
  gigyaAccountAt,
  gigyaPbkdf2,
} from './fake-gigya-accounts';
export { errorEnvelope, FAKE_GIGYA_ERRORS, okEnvelope } from './fake-gigya-envelope';
export { type Condition, matches, parseQuery, type ParsedQuery, QuerySyntaxError } from './fake-gigya-query';
export { type IdentitySyncLayout, writeIdentitySyncFile, type WriteIdentitySyncOptions } from './identity-sync-writer';
