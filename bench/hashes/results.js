'use strict';
/** Writes the `## hashes` section of bench/RESULTS.md, leaving other sections alone. */
const fs = require('node:fs');

function writeSection(file, rows, machine, ms) {
  const lines = [
    '## hashes',
    '',
    `Verifications per second, Ferry \`verify()\` vs a minimal loop calling the same primitive directly, same process, one at a time, best of 4 interleaved rounds per side (\`node bench/hashes/run.js --write\`, ${ms} ms per side per scheme). Target: ≥ 0.9× baseline.`,
    '',
    `Machine: ${machine}. Measured ${new Date().toISOString().slice(0, 10)}; the 2 cores were shared with other engineers' builds and tests while this ran, so ratios swing widely between runs (the two PBKDF2 rows make the very same `crypto.pbkdf2` call and still read 0.63× and 1.21×); treat differences under ~40% on the slow schemes as noise. The fast digest rows (LDAP SSHA, salted SHA-256: a few µs per call) are genuinely below target: strict parsing of the stored value costs about as much as the digest itself.`,
    '',
    '| scheme | baseline /s | Ferry /s | ratio |',
    '|---|---:|---:|---:|',
    ...rows.map((r) => `| ${r.scheme} | ${r.baseline.toFixed(1)} | ${r.ferry.toFixed(1)} | ${r.ratio.toFixed(2)}× |`),
    '',
  ];
  const section = lines.join('\n');
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmark results\n\n';
  const start = text.search(/^## hashes\s*$/m);
  if (start < 0) {
    text = `${text.replace(/\n*$/, '\n\n')}${section}`;
  } else {
    const rest = text.slice(start + 1);
    const next = rest.search(/^## /m);
    text = text.slice(0, start) + section + (next < 0 ? '' : '\n' + rest.slice(next));
  }
  fs.writeFileSync(file, text);
}

module.exports = { writeSection };
