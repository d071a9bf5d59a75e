// Replaces one `## <section>` of bench/RESULTS.md, leaving the others alone.
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const FILE = join(__dirname, 'RESULTS.md');

module.exports = function writeSection(section, body) {
  const text = existsSync(FILE) ? readFileSync(FILE, 'utf8') : '# Benchmark results\n\nEach section is rewritten by its benchmark (`node bench/run.js <name>` after `pnpm build`).\n';
  const heading = `## ${section}\n`;
  const block = `${heading}\n${body.trim()}\n\n`;
  const start = text.indexOf(heading);
  let out;
  if (start === -1) out = `${text.trimEnd()}\n\n${block}`;
  else {
    const next = text.indexOf('\n## ', start + heading.length);
    out = text.slice(0, start) + block + (next === -1 ? '' : text.slice(next + 1));
  }
  writeFileSync(FILE, out.trimEnd() + '\n');
};
