/**
 * The salted-digest primitive shared by LDAP, Django md5/sha1, Stormpath 2, Okta,
 * Gigya, Spring and structured digests: digest(salt‖password) or digest(password‖salt),
 * and the iterated form (Shiro/Stormpath: h = D(salt‖password), then h = D(h) repeatedly).
 * Checks build their input in reusable memory, and verify() reads single digests into a
 * reusable draft: at ~1 µs per digest, fresh Buffers were a large share of the cost.
 */
import { writeUtf8 } from './codecs';
import { digestMatches, digestOf, digestScratch, DIGEST_SIZES, type DigestName } from './digest';
import { chainRounds, type OpenSslDigest } from './rounds';
import { constantTimeEqual } from './compare';
import type { Auth0CustomPasswordHash } from '../contracts/profile';
import { auth0Unsupported, type Auth0Conversion, type ParsedHash } from './parsed-hash';

/** Node's names for the password encodings Auth0 lets a hash declare. */
export type PasswordEncoding = 'ascii' | 'utf8' | 'utf16le' | 'ucs2' | 'latin1' | 'binary';

/** Everything needed to recompute one salted digest. */
export interface SaltedDigestSpec {
  scheme: string;
  digest: DigestName;
  /** Raw expected digest bytes. */
  expected: Buffer;
  salt?: Buffer;
  /** Where the salt goes relative to the password (default prefix). */
  position?: 'prefix' | 'suffix';
  passwordEncoding?: PasswordEncoding;
  /** How the hash text was encoded, so the Auth0 form can keep it. */
  auth0Encoding?: 'hex' | 'base64';
  /** Salt encoding for the Auth0 form (utf8 when the legacy salt is text). */
  auth0SaltEncoding?: 'utf8' | 'base64' | 'hex';
  /** A stored string Auth0 takes as is, as a custom `ldap` hash (LDAP `{SSHA}`…). */
  auth0Ldap?: string;
}

/** What recomputing a salted digest reads; the salt is a range of `salt`, so it needs no view of its own. */
interface SaltedInputs {
  readonly digest: DigestName;
  readonly expected: Uint8Array;
  readonly salt: Uint8Array;
  readonly saltStart: number;
  readonly saltEnd: number;
  readonly position: 'prefix' | 'suffix';
  readonly passwordEncoding: PasswordEncoding;
}

/** Scratch for salt‖password (or password‖salt); synchronous use only. */
const INPUT = Buffer.allocUnsafe(4096);

/**
 * Views of INPUT by length, each made on first use (lengths up to 512): crypto.hash takes
 * an exact-length view, and a new view per check costs a tenth of a short digest.
 */
const INPUT_VIEWS: Buffer[] = [];

/** `password` encoded into `input` at `at`; the number of bytes. */
function writePassword(password: string, encoding: PasswordEncoding, input: Buffer, at: number): number {
  return encoding === 'utf8' ? writeUtf8(password, input, at) : input.write(password, at, encoding);
}

/**
 * salt‖password or password‖salt, the password encoded straight next to the salt: in
 * {@link INPUT} when it surely fits (3 bytes per UTF-16 unit at most), else in a Buffer
 * of its own. Use it before anything else can write INPUT (that is, synchronously).
 */
function saltedInput(password: string, inputs: SaltedInputs): Buffer {
  const { salt, saltStart, saltEnd, passwordEncoding: encoding } = inputs;
  const saltLength = saltEnd - saltStart;
  // allocUnsafe is safe: every byte is written below.
  const input = password.length * 3 + saltLength <= INPUT.length ? INPUT : Buffer.allocUnsafe(Buffer.byteLength(password, encoding) + saltLength);
  let length: number;
  if (inputs.position === 'suffix') {
    length = writePassword(password, encoding, input, 0);
    for (let i = saltStart; i < saltEnd; i++) input[length++] = salt[i] as number;
  } else {
    for (let i = saltStart; i < saltEnd; i++) input[i - saltStart] = salt[i] as number;
    length = saltLength + writePassword(password, encoding, input, saltLength);
  }
  if (input !== INPUT) return input;
  return length <= 512 ? (INPUT_VIEWS[length] ??= INPUT.subarray(0, length)) : INPUT.subarray(0, length);
}

/** True when `password` with `inputs`' salt digests to `inputs.expected` (constant-time compare). */
function saltedDigestMatches(password: string, inputs: SaltedInputs): boolean {
  // Unsalted UTF-8: crypto.hash encodes the string itself.
  const data = inputs.saltEnd === inputs.saltStart && inputs.passwordEncoding === 'utf8' ? password : saltedInput(password, inputs);
  return digestMatches(inputs.digest, data, inputs.expected);
}

const EMPTY = Buffer.alloc(0);

function inputsOf(spec: Pick<SaltedDigestSpec, 'digest' | 'expected' | 'salt' | 'position' | 'passwordEncoding'>): SaltedInputs {
  const salt = spec.salt ?? EMPTY;
  return { digest: spec.digest, expected: spec.expected, salt, saltStart: 0, saltEnd: salt.length, position: spec.position ?? 'prefix', passwordEncoding: spec.passwordEncoding ?? 'utf8' };
}

const AUTH0_DIGESTS = new Set<DigestName>(['md4', 'md5', 'sha1', 'sha256', 'sha512']);

/** A parsed salted digest. */
export class SaltedDigestHash implements ParsedHash {
  readonly scheme: string;
  private readonly inputs: SaltedInputs;

  constructor(private readonly spec: SaltedDigestSpec) {
    this.scheme = spec.scheme;
    this.inputs = inputsOf(spec);
  }

  /** Expected digest length for `name`, to validate stored values. */
  static sizeOf(name: DigestName): number {
    return DIGEST_SIZES[name];
  }

  async verify(password: string): Promise<boolean> {
    return this.verifySync(password);
  }

  /** The check itself: one digest, microseconds, so {@link verify} need not wait on anything. */
  verifySync(password: string): boolean {
    return saltedDigestMatches(password, this.inputs);
  }

  toAuth0(): Auth0Conversion {
    if (this.spec.auth0Ldap !== undefined) return { custom_password_hash: { algorithm: 'ldap', hash: { value: this.spec.auth0Ldap, encoding: 'utf8' } } };
    const { digest: name, salt, position = 'prefix' } = this.spec;
    if (!AUTH0_DIGESTS.has(name)) return auth0Unsupported(this.scheme, `Auth0 has no ${name} algorithm`);
    const encoding = this.spec.auth0Encoding ?? 'hex';
    const passwordEncoding = this.spec.passwordEncoding;
    const custom: Auth0CustomPasswordHash = {
      algorithm: name as Auth0CustomPasswordHash['algorithm'],
      hash: { value: this.spec.expected.toString(encoding), encoding },
    };
    if (salt !== undefined && salt.length > 0) {
      const saltEncoding = this.spec.auth0SaltEncoding ?? 'base64';
      custom.salt = { value: salt.toString(saltEncoding === 'utf8' ? 'utf8' : saltEncoding), encoding: saltEncoding, position };
    }
    if (passwordEncoding !== undefined && passwordEncoding !== 'utf8') custom.password = { encoding: passwordEncoding };
    return { custom_password_hash: custom };
  }
}

const EXPECTED = digestScratch();
const NO_AUTH0 = Object.freeze({});

/**
 * One salted digest read into reusable memory instead of fresh Buffers. `verify()` has a
 * single-digest hash read into {@link SALTED_DIGEST_DRAFT} and checks the password at once
 * (no parsed object, no Buffer per value); `parseHash()` reads it the same way and copies
 * it into a {@link SaltedDigestHash}, so both paths share one reader per format. A reader
 * calls {@link start}, decodes into {@link room}, then calls {@link expect} and
 * {@link saltAt}. Everything happens synchronously, so one draft per thread is enough.
 */
export class SaltedDigestDraft implements SaltedInputs {
  /** Scheme name, e.g. `ldap-ssha`, `salted-sha256`. */
  scheme = '';
  digest: DigestName = 'sha1';
  /** The stored digest: this module's scratch for `digest` (see {@link expect}). */
  expected: Buffer = EXPECTED.sha1;
  /** The memory the reader decoded into; the salt is its bytes [saltStart, saltEnd). */
  salt: Buffer;
  saltStart = 0;
  saltEnd = 0;
  position: 'prefix' | 'suffix' = 'prefix';
  passwordEncoding: PasswordEncoding = 'utf8';
  /** The Auth0 settings of {@link SaltedDigestSpec} (only {@link toParsed} reads them). */
  auth0: Readonly<Pick<SaltedDigestSpec, 'auth0Encoding' | 'auth0SaltEncoding' | 'auth0Ldap'>> = NO_AUTH0;
  private readonly usualMemory = Buffer.alloc(4096);

  constructor() {
    this.salt = this.usualMemory;
  }

  /** Starts a draft: unsalted, UTF-8 password, no Auth0 settings. */
  start(scheme: string, digest: DigestName): void {
    this.scheme = scheme;
    this.digest = digest;
    this.expected = EXPECTED[digest];
    this.salt = this.usualMemory;
    this.saltStart = this.saltEnd = 0;
    this.position = 'prefix';
    this.passwordEncoding = 'utf8';
    this.auth0 = NO_AUTH0;
  }

  /**
   * The draft's memory, at least `size` bytes long, for a reader to decode stored values
   * into. Values too long for the usual 4 KiB (a structured hash has no length limit) get
   * a larger buffer for this draft, keeping what was written so far.
   */
  room(size: number): Buffer {
    if (size > this.salt.length) {
      const larger = Buffer.alloc(size);
      this.salt.copy(larger);
      this.salt = larger;
    }
    return this.salt;
  }

  /** Takes the stored digest from the draft's memory at `at` (the reader has checked its length). */
  expect(at: number): void {
    const out = this.expected;
    for (let i = 0; i < out.length; i++) out[i] = this.salt[at + i] as number;
  }

  /** The salt is the draft's memory [start, end), placed before or after the password. */
  saltAt(start: number, end: number, position: 'prefix' | 'suffix'): void {
    this.saltStart = start;
    this.saltEnd = end;
    this.position = position;
  }

  /** Checks `password` against the draft (constant-time compare). */
  matches(password: string): boolean {
    return saltedDigestMatches(password, this);
  }

  /** The draft as a parsed hash that owns copies of its bytes. */
  toParsed(): SaltedDigestHash {
    const spec: SaltedDigestSpec = { scheme: this.scheme, digest: this.digest, expected: Buffer.from(this.expected), position: this.position, ...this.auth0 };
    if (this.saltEnd > this.saltStart) spec.salt = Buffer.from(this.salt.subarray(this.saltStart, this.saltEnd));
    if (this.passwordEncoding !== 'utf8') spec.passwordEncoding = this.passwordEncoding;
    return new SaltedDigestHash(spec);
  }
}

/** The draft the verification and parsing paths read single digests into. */
export const SALTED_DIGEST_DRAFT = new SaltedDigestDraft();

/**
 * An iterated salted digest (Stormpath 2 / Apache Shiro with ITER > 1): h = D(salt‖pw),
 * then ITER − 1 more h = D(h), in slices that yield to the event loop. Auth0 cannot take it.
 */
export class IteratedDigestHash implements ParsedHash {
  private readonly inputs: SaltedInputs;

  constructor(
    readonly scheme: string,
    private readonly spec: Pick<SaltedDigestSpec, 'expected' | 'salt' | 'position'> & { digest: OpenSslDigest },
    readonly iterations: number,
  ) {
    this.inputs = inputsOf(spec);
  }

  async verify(password: string): Promise<boolean> {
    const first = digestOf(this.spec.digest, saltedInput(password, this.inputs));
    return constantTimeEqual(await chainRounds(this.spec.digest, first, EMPTY, this.iterations - 1), this.spec.expected);
  }

  toAuth0(): Auth0Conversion {
    return auth0Unsupported(this.scheme, 'the digest is iterated');
  }
}
