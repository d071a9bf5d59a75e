'use strict';
/**
 * Hash verification throughput: Ferry's verify() against a minimal loop calling the same
 * primitive directly (node:crypto or the native library), in the same process and run.
 * Usage: pnpm build && node bench/hashes/run.js [--write]  (--write updates bench/RESULTS.md)
 *        BENCH_MS=… sets the time per side per scheme; BENCH_ONLY=<text> runs matching rows only.
 */
const crypto = require('node:crypto');
const os = require('node:os');
const path = require('node:path');
const { writeSection } = require('./results');

const root = path.resolve(__dirname, '../..');
const hashing = require(path.join(root, 'packages/core/dist/hashing'));
const fromCore = (name) => require(require.resolve(name, { paths: [path.join(root, 'packages/core')] }));
const argon2 = fromCore('@node-rs/argon2');
const bcrypt = fromCore('@node-rs/bcrypt');

const pw = Buffer.from('correct horse battery staple');
const eq = (a, b) => a.length === b.length && crypto.timingSafeEqual(a, b);
// A digest given as a 'binary' string, copied into reused memory (as Ferry does) for the compare.
const scratch = Buffer.alloc(64);
const intoScratch = (binary) => scratch.subarray(0, scratch.write(binary, 'latin1'));
const inner = Buffer.alloc(64);
const intoInner = (binary) => inner.subarray(0, inner.write(binary, 'latin1'));
// The stored value decoded on every call into reused memory, and the password string's bytes
// written there too: the least any verifier handed the stored string and the password must do.
const decoded = Buffer.alloc(64);
const input = Buffer.alloc(256);
/** Writes an ASCII string's bytes into `input` at `at`; returns the end. */
const ascii = (text, at) => {
  for (let i = 0; i < text.length; i++) input[at + i] = text.charCodeAt(i);
  return at + text.length;
};
const pbkdf2 = (p, s, i, l, d) => new Promise((ok, ko) => crypto.pbkdf2(p, s, i, l, d, (e, k) => (e ? ko(e) : ok(k))));
const scrypt = (p, s, l, o) => new Promise((ok, ko) => crypto.scrypt(p, s, l, o, (e, k) => (e ? ko(e) : ok(k))));
const md5 = (...parts) => crypto.hash('md5', Buffer.concat(parts), 'buffer');

/**
 * The crypt(3) mixing rounds (round i digests (i odd ? P : C) ‖ (i % 3 ? S) ‖ (i % 7 ? P) ‖
 * (i odd ? C : P)) as a bare loop: the 8 possible inputs assembled once with a slot for the
 * previous digest, then one copy and one crypto.hash per round.
 */
function cryptRounds(alg, c, p, s, rounds) {
  const none = Buffer.alloc(0);
  const layouts = [];
  for (let k = 0; k < 8; k++) {
    const odd = (k & 4) !== 0;
    const buf = Buffer.concat([odd ? p : Buffer.alloc(c.length), k & 2 ? s : none, k & 1 ? p : none, odd ? Buffer.alloc(c.length) : p]);
    layouts.push({ buf, at: odd ? buf.length - c.length : 0 });
  }
  for (let i = 0; i < rounds; i++) {
    const { buf, at } = layouts[((i & 1) << 2) | (i % 3 ? 2 : 0) | (i % 7 ? 1 : 0)];
    c.copy(buf, at);
    c = crypto.hash(alg, buf, 'buffer');
  }
  return c;
}

/** Builds one case: a stored hash plus a baseline doing the same work by hand. */
async function cases() {
  const salt16 = crypto.randomBytes(16);
  const out = [];

  const a2 = await argon2.hash(pw, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  out.push({ scheme: 'argon2id (m=19456,t=2,p=1)', hash: a2, baseline: () => argon2.verify(a2, pw) });

  const bc = await bcrypt.hash(pw, 10);
  out.push({ scheme: 'bcrypt (cost 10)', hash: bc, baseline: () => bcrypt.verify(pw, bc) });

  const dj = await pbkdf2(pw, Buffer.from('seasalt2'), 100000, 32, 'sha256');
  out.push({ scheme: 'django-pbkdf2-sha256 (100k)', hash: `pbkdf2_sha256$100000$seasalt2$${dj.toString('base64')}`, baseline: async () => eq(await pbkdf2(pw, Buffer.from('seasalt2'), 100000, 32, 'sha256'), dj) });

  const asp = await pbkdf2(pw, salt16, 10000, 32, 'sha256');
  const aspBlob = Buffer.concat([Buffer.from([1, 0, 0, 0, 1, 0, 0, 0x27, 0x10, 0, 0, 0, 16]), salt16, asp]).toString('base64');
  out.push({ scheme: 'aspnet-identity-v3 (10k)', hash: aspBlob, baseline: async () => eq(await pbkdf2(pw, salt16, 10000, 32, 'sha256'), asp) });

  const sc = await scrypt(pw, salt16, 32, { N: 16384, r: 8, p: 1 });
  out.push({ scheme: 'scrypt (N=2^14,r=8,p=1)', hash: `$scrypt$ln=14,r=8,p=1$${salt16.toString('base64').replace(/=+$/, '')}$${sc.toString('base64').replace(/=+$/, '')}`, baseline: async () => eq(await scrypt(pw, salt16, 32, { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }), sc) });

  // md5-crypt: 1,002 MD5 digests of the lengths Ferry digests (alt, the 72-byte initial
  // context for this password, 1,000 rounds), the rounds done the cheapest direct way.
  const md5Salt = Buffer.from('saltsalt');
  out.push({
    scheme: 'md5-crypt',
    hash: '$1$saltsalt$' + '.'.repeat(22),
    expect: false,
    baseline: async () => {
      const alt = md5(pw, md5Salt, pw);
      const start = md5(pw, Buffer.from('$1$'), md5Salt, alt, alt.subarray(0, pw.length - 16), Buffer.alloc(5));
      return cryptRounds('md5', start, pw, md5Salt, 1000)[0] === 0;
    },
  });

  // phpass $P$B (2^13 rounds of md5(hash ‖ pw)).
  out.push({
    scheme: 'phpass ($P$B, 8192 rounds)',
    hash: '$P$B12345678L6Lpt4BxNotVIMILOa9u81',
    expect: false,
    baseline: async () => {
      const buf = Buffer.alloc(16 + pw.length);
      pw.copy(buf, 16);
      let h = crypto.hash('md5', Buffer.concat([Buffer.from('12345678'), pw]), 'buffer');
      for (let i = 0; i < 8192; i++) {
        h.copy(buf, 0);
        h = crypto.hash('md5', buf, 'buffer');
      }
      return h[0] === 0;
    },
  });

  // sha512-crypt, default 5,000 rounds: the same 5,004 SHA-512 digests of the same lengths
  // as Drepper's algorithm for this password and the 10-character salt of the stored hash.
  const shaSalt = Buffer.from('saltstring');
  out.push({
    scheme: 'sha512-crypt (5000 rounds)',
    hash: '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1',
    expect: false,
    baseline: async () => {
      const sha = (...parts) => crypto.hash('sha512', Buffer.concat(parts), 'buffer');
      const b = sha(pw, shaSalt, pw);
      // 28 = 0b11100: the length's bits feed pw, pw, b, b, b.
      const a = sha(pw, shaSalt, b.subarray(0, pw.length), pw, pw, b, b, b);
      const p = sha(...Array(pw.length).fill(pw)).subarray(0, pw.length);
      const s = sha(...Array(16 + (a[0] ?? 0)).fill(shaSalt)).subarray(0, shaSalt.length);
      return cryptRounds('sha512', a, p, s, 5000)[0] === 0;
    },
  });

  // Single digests: the baseline is the one-shot crypto.hash Ferry itself calls (cheaper
  // than a Hash object with updates), over the salted input, with the stored value
  // already decoded — everything Ferry does beyond that is its per-call parse.
  const nacl = Buffer.from('NaCl');
  const saltedHex = crypto.createHash('sha256').update('NaCl').update(pw).digest();
  out.push({
    scheme: 'salted sha256 (structured)',
    hash: { algorithm: 'sha256', hash: { value: saltedHex.toString('hex'), encoding: 'hex' }, salt: { value: 'NaCl', position: 'prefix' } },
    baseline: async () => eq(crypto.hash('sha256', Buffer.concat([nacl, pw]), 'buffer'), saltedHex),
    sameCall: async () => eq(intoScratch(crypto.hash('sha256', Buffer.concat([nacl, pw]), 'binary')), saltedHex),
    decodeCall: async (stored, password) => {
      const n = decoded.write(stored.hash.value, 'hex');
      const end = ascii(password, ascii(stored.salt.value, 0));
      return eq(intoScratch(crypto.hash('sha256', input.subarray(0, end), 'binary')), decoded.subarray(0, n));
    },
  });

  const ssha = crypto.createHash('sha1').update(pw).update(salt16).digest();
  out.push({
    scheme: 'ldap-ssha',
    hash: `{SSHA}${Buffer.concat([ssha, salt16]).toString('base64')}`,
    baseline: async () => eq(crypto.hash('sha1', Buffer.concat([pw, salt16]), 'buffer'), ssha),
    sameCall: async () => eq(intoScratch(crypto.hash('sha1', Buffer.concat([pw, salt16]), 'binary')), ssha),
    decodeCall: async (stored, password) => {
      const n = decoded.write(stored.substring(6), 'base64');
      const end = ascii(password, 0);
      return eq(intoScratch(crypto.hash('sha1', input.subarray(0, end + decoded.copy(input, end, 20, n)), 'binary')), decoded.subarray(0, 20));
    },
  });

  const my = crypto.createHash('sha1').update(crypto.createHash('sha1').update(pw).digest()).digest();
  out.push({
    scheme: 'mysql41',
    hash: `*${my.toString('hex').toUpperCase()}`,
    baseline: async () => eq(crypto.hash('sha1', crypto.hash('sha1', pw, 'buffer'), 'buffer'), my),
    // Both digests take the 'binary' form here (the inner one copied into reused memory).
    sameCall: async () => eq(intoScratch(crypto.hash('sha1', intoInner(crypto.hash('sha1', pw, 'binary')), 'binary')), my),
    decodeCall: async (stored, password) => {
      const n = decoded.write(stored.substring(1), 'hex');
      return eq(intoScratch(crypto.hash('sha1', intoInner(crypto.hash('sha1', input.subarray(0, ascii(password, 0)), 'binary')), 'binary')), decoded.subarray(0, n));
    },
  });
  return out;
}

/** Runs `fn` repeatedly for about `ms` milliseconds; returns calls per second. */
async function rate(fn, ms) {
  await fn();
  let n = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(ms) * 1_000_000n;
  let now = start;
  while (now < end) {
    await fn();
    n++;
    if ((n & 7) === 0 || n < 64) now = process.hrtime.bigint();
  }
  now = process.hrtime.bigint();
  return n / (Number(now - start) / 1e9);
}

async function main() {
  const ms = Number(process.env.BENCH_MS ?? 1500);
  const loadBefore = os.loadavg();
  const password = pw.toString();
  const rows = [];
  const only = process.env.BENCH_ONLY; // e.g. BENCH_ONLY=ldap to run the matching rows only (no --write then)
  for (const c of (await cases()).filter((x) => !only || x.scheme.includes(only))) {
    // Ferry must do the real work: a case that errors (or answers wrongly) would time a
    // refusal, not a verification. Cases marked expect: false verify a mismatching password.
    const check = await hashing.verify(c.hash, password);
    if (check.match !== (c.expect ?? true)) throw new Error(`${c.scheme}: Ferry answered match=${check.match} (${check.scheme})`);
    // Interleave baseline and Ferry in short rounds and keep each side's best round, so
    // load from other processes on a shared machine does not land on one side only.
    let base = 0;
    let ferry = 0;
    let same = 0;
    let decode = 0;
    if (c.decodeCall && !(await c.decodeCall(c.hash, password))) throw new Error(`${c.scheme}: the decoding baseline does not verify`);
    for (let round = 0; round < 4; round++) {
      base = Math.max(base, await rate(c.baseline, ms / 4));
      ferry = Math.max(ferry, await rate(() => hashing.verify(c.hash, password), ms / 4));
      if (c.sameCall) same = Math.max(same, await rate(c.sameCall, ms / 4));
      if (c.decodeCall) decode = Math.max(decode, await rate(() => c.decodeCall(c.hash, password), ms / 4));
    }
    const row = { scheme: c.scheme, baseline: base, ferry };
    row.ratio = row.ferry / row.baseline;
    // The single digests: also a baseline whose final digest takes the 'binary' result form Ferry uses.
    if (c.sameCall) row.sameCallRatio = row.ferry / same;
    // …and one that also starts from the stored string: decodes it (no checks) on every call.
    if (c.decodeCall) row.decodeCallRatio = row.ferry / decode;
    rows.push(row);
    console.log(`${row.scheme.padEnd(32)} baseline ${row.baseline.toFixed(1).padStart(10)}/s  ferry ${row.ferry.toFixed(1).padStart(10)}/s  ${row.ratio.toFixed(2)}x${row.sameCallRatio === undefined ? '' : `  (${row.sameCallRatio.toFixed(2)}x vs the same-result-form baseline, ${row.decodeCallRatio.toFixed(2)}x vs that baseline decoding the stored value)`}`);
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const machine = `${os.availableParallelism?.() ?? os.cpus().length} CPUs (nproc), ${cpu}, Node ${process.version}, ${os.platform()} ${os.arch()}`;
  // The 1-minute load average (2 cores here) before and after, so a reader can judge the noise.
  const load = `${loadBefore[0].toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after`;
  console.log(`load average (1 min): ${load}`);
  if (process.argv.includes('--write') && !only) writeSection(path.join(root, 'bench/RESULTS.md'), rows, machine, ms, load);
  console.log(machine);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
