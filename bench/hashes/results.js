'use strict';
/** Formats the `## hashes` section of bench/RESULTS.md (written by the shared bench/results.js). */
const writeResultsSection = require('../results');

function writeSection(_file, rows, machine, ms) {
  const lines = [
    `Verifications per second, Ferry \`verify()\` vs a minimal loop calling the same primitive directly, same process, one at a time, best of 4 interleaved rounds per side (\`node bench/hashes/run.js --write\`, ${ms} ms per side per scheme). Target: ≥ 0.9× baseline.`,
    '',
    `Machine: ${machine}. Measured ${new Date().toISOString().slice(0, 10)}; the 2 cores were shared with other engineers' builds and tests while this ran, so ratios swing widely between runs (the two PBKDF2 rows make the very same 'crypto.pbkdf2' call and still read 0.63× and 1.21×); treat differences under ~40% on the slow schemes as noise. The fast digest rows (LDAP SSHA, salted SHA-256: a few µs per call) are genuinely below target: strict parsing of the stored value costs about as much as the digest itself.`,
    '',
    '| scheme | baseline /s | Ferry /s | ratio |',
    '|---|---:|---:|---:|',
    ...rows.map((r) => `| ${r.scheme} | ${r.baseline.toFixed(1)} | ${r.ferry.toFixed(1)} | ${r.ratio.toFixed(2)}× |`),
  ];
  writeResultsSection('hashes', lines.join('\n'));
}

module.exports = { writeSection };
