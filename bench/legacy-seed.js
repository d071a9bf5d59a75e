// Seeds a generated legacy user table for the export benchmarks. Cheap hash formats keep
// seeding fast: the per-row cost of an export does not depend on the hash work factor.
const { join } = require('node:path');

const testkit = () => require(join(__dirname, '..', 'packages', 'testkit', 'dist'));

/** Write `count` users at `url`; logs how long it took. `duplicateRate` as in writeLegacyDatabase. */
module.exports = async function seedLegacy(url, count, { label = url.split(':')[0], duplicateRate = 0, batchSize = 2000 } = {}) {
  const t = Date.now();
  await testkit().writeLegacyDatabase(url, {
    count,
    seed: 'bench',
    formats: { 'salted-sha256': 2, 'django-pbkdf2': 1 },
    costs: { djangoPbkdf2: 1 },
    defectRate: 0.001,
    duplicateRate,
    batchSize,
  });
  console.error(`[${label}] seeded ${count} users in ${((Date.now() - t) / 1000).toFixed(1)} s`);
};
