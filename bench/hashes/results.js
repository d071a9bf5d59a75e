'use strict';
/** Formats the `## hashes` section of bench/RESULTS.md (written by the shared bench/results.js). */
const writeResultsSection = require('../results');

function writeSection(_file, rows, machine, ms, load) {
  const lines = [
    `Verifications per second, Ferry \`verify()\` (string hash, string password, parsed on every call as a server would) vs a minimal loop calling the same primitive directly with the stored value already decoded, same process, one at a time, best of 4 interleaved rounds per side (\`node bench/hashes/run.js --write\`, ${ms} ms per side per scheme). Target: ≥ 0.9× baseline. Before timing, each case is verified once and must give the expected answer, so Ferry is never timed refusing a hash.`,
    '',
    `Machine: ${machine}. Measured ${new Date().toISOString().slice(0, 10)}, 1-minute load average ${load}: the 2 cores were shared with other engineers' builds and tests, so single runs swing by ±20% or more on the slow rows (each row's two sides make the very same native calls); read the slow rows as "at parity" unless a gap repeats across runs.`,
    '',
    'What the baselines do: argon2/bcrypt call @node-rs directly, PBKDF2/scrypt call node:crypto; md5-crypt makes the same 1,002 MD5 digests and sha512-crypt the same 5,004 SHA-512 digests of the same lengths as the algorithm (same salt length), phpass the same 8,193 MD5 digests, each round as one copy and one `crypto.hash` call; the single digests (salted SHA-256, LDAP SSHA, MySQL 4.1) are one-shot `crypto.hash` calls over the salted input — the call Ferry itself makes — with the password already a Buffer.',
    '',
    'Why the single-digest rows stay below 0.9×: the digest is ~1–1.5 µs, and Ferry parses the stored value strictly on every call (no cache keyed by the hash): for `{SSHA}` that is the prefix lookup, a one-pass canonical-base64 decode of 48 characters (~0.2 µs), the digest/salt views and the parsed object (~0.2 µs), plus encoding the password string (~0.1 µs) — about 0.5–0.7 µs in all, i.e. 30–45% of the baseline\'s whole call. The structured row also walks the JSON object and decodes 64 hex characters. Closing that gap would mean caching parsed hashes or skipping validation; neither is done. MySQL 4.1 (two digests, a hex check) is close to parity.',
    '',
    '| scheme | baseline /s | Ferry /s | ratio |',
    '|---|---:|---:|---:|',
    ...rows.map((r) => `| ${r.scheme} | ${r.baseline.toFixed(1)} | ${r.ferry.toFixed(1)} | ${r.ratio.toFixed(2)}× |`),
  ];
  writeResultsSection('hashes', lines.join('\n'));
}

module.exports = { writeSection };
