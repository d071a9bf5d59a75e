/**
 * `ferry demo`: Ferry's main job on embedded defaults. Generates a legacy SQLite
 * database, migrates a share of its users through real logins (trickle), looks others
 * up as a password reset would, bulk-migrates the rest, verifies that everyone arrived,
 * logs bulk-imported users in with their original passwords, then disconnects legacy —
 * printing each step.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  PasswordHashing,
  StoreSink,
  createRuntime,
  isErrorClass,
  loadConfig,
  requireCapability,
  runBulk,
  verifyMigration,
  type FerryRuntime,
  type RunCounts,
  type StoreStats,
} from '@ferry/core';
import { legacyConnectorConfig, legacyUserAt, writeLegacyDatabase, type LegacyUser } from '@ferry/testkit';
import { stringify } from 'yaml';
import { mapLimit } from './concurrency';
import { sourceThreadOption } from '../bulk/bulk-flags';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  dir: string;
  users: number;
  /** Users who log in during the trickle phase. */
  logins: number;
  /** Users looked up by a password-reset flow. */
  resets: number;
  seed: string;
  say: (line: string) => void;
}

/** What the demo did, for `--json`. */
export interface DemoResult {
  dir: string;
  legacyUsers: number;
  brokenRows: number;
  trickle: { attempted: number; migrated: number; refusedBrokenRows: number; wrongPasswordRefused: boolean; secondLoginFromStore: boolean };
  resets: { lookedUp: number; createdWithoutCredential: number };
  bulk: RunCounts & { report: string };
  verify: { migratable: number; present: number; missing: number; percentPresent: number; unmigratable: number };
  bulkLogins: { sampled: number; loggedIn: number; upgradedToArgon2id: number };
  statusBeforeDisconnect: StoreStats;
  afterDisconnect: { migratedUsersLoggedIn: number; migratedSampled: number; brokenRowsRefused: number; brokenRowsSampled: number };
}

/** Pick `n` distinct user indexes spread over the table, deterministically. */
function spread(total: number, n: number, offset: number): number[] {
  const step = total / Math.max(1, n);
  return Array.from({ length: Math.min(n, total) }, (_, k) => Math.floor(k * step + offset) % total);
}

/** A broken legacy row (e.g. two users with one email) is a reported outcome here, not a crash. */
async function dataErrorsAsNull<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (err) {
    if (isErrorClass(err, 'data')) return null;
    throw err;
  }
}

/** Run the demo. */
export async function runDemo(o: DemoOptions): Promise<DemoResult> {
  const dir = resolve(o.dir);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const legacyPath = join(dir, 'legacy.db');

  o.say(`1. Generating a legacy SQLite database of ${o.users} users with mixed hash formats (${legacyPath}) …`);
  const generated = await writeLegacyDatabase(`sqlite:${legacyPath}`, { count: o.users, seed: o.seed });
  const broken = Object.values(generated.defects).reduce((a, b) => a + (b ?? 0), 0);
  o.say(`   ${generated.count} rows in ${(generated.elapsedMs / 1000).toFixed(1)} s, ${broken} deliberately broken (${JSON.stringify(generated.defects)})`);

  const configPath = join(dir, 'ferry.yaml');
  writeFileSync(
    configPath,
    `# Written by 'ferry demo'. Try: ferry status --config ${configPath}\n` +
      stringify({ store: 'sqlite:./ferry.db', connection: 'default', mode: 'import', connector: { id: 'sql', config: legacyConnectorConfig('sqlite:./legacy.db') }, log: { level: 'error' } }),
  );
  o.say(`2. Wrote ${configPath}: connector 'sql', store sqlite:./ferry.db, mode import`);

  const loaded = loadConfig(configPath);
  const rt = await createRuntime({ config: loaded.config, baseDir: loaded.baseDir, fromEnv: loaded.fromEnv });
  try {
    return await phases(rt, o, dir, generated.count, broken);
  } finally {
    await rt.close();
  }
}

async function phases(rt: FerryRuntime, o: DemoOptions, dir: string, total: number, broken: number): Promise<DemoResult> {
  const engine = rt.engine();
  const userAt = (i: number): Promise<LegacyUser> => legacyUserAt({ count: total, seed: o.seed }, i);
  const loginIdx = spread(total, o.logins, 0);
  const loginUsers = await Promise.all(loginIdx.map(userAt));

  o.say(`3. Trickle migration: ${loginUsers.length} users log in with their legacy passwords …`);
  const started = performance.now();
  const results = await mapLimit(loginUsers, 4, async (u) => ({ u, r: u.email === null ? null : await dataErrorsAsNull(engine.login(u.email, u.password)) }));
  const migrated = results.filter((x) => x.r?.ok === true && x.r.migrated);
  const refusedBroken = results.filter((x) => x.u.defect !== undefined && x.r?.ok !== true).length;
  o.say(`   ${migrated.length} migrated in ${((performance.now() - started) / 1000).toFixed(1)} s (legacy hash verified, argon2id stored)`);
  o.say(`   ${refusedBroken} broken legacy rows refused (no email, unknown hash, NULL password, duplicate email) — never migrated half-way`);
  const reasons = new Map<string, number>();
  for (const x of results) {
    if (x.u.defect !== undefined || x.r?.ok === true) continue;
    // null: a data error, e.g. a later duplicate row made this user's email ambiguous.
    const reason = x.r === null ? 'ambiguous email in legacy' : x.r.reason;
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  if (reasons.size > 0) o.say(`   other refusals, as legacy decided: ${[...reasons].map(([r, n]) => `${r} ${n}`).join(', ')}`);
  const sample = migrated[0]?.u;
  let wrongRefused = false;
  let fromStore = false;
  if (sample?.email) {
    wrongRefused = !(await engine.login(sample.email, `${sample.password}x`)).ok;
    const again = await engine.login(sample.email, sample.password);
    fromStore = again.ok && again.source === 'store';
    o.say(`   ${sample.email}: wrong password refused: ${wrongRefused}; second login verified by Ferry's store, legacy not called: ${fromStore}`);
  }

  const resetUsers = (await Promise.all(spread(total, o.resets, 7).map(userAt))).filter((u) => u.email !== null && u.defect === undefined);
  o.say(`4. Password-reset lookups (getUser) for ${resetUsers.length} users not logged in yet …`);
  let created = 0;
  for (const u of resetUsers) {
    const r = await dataErrorsAsNull(engine.getUser(u.email as string));
    if (r?.migrated) created++;
  }
  o.say(`   ${created} created in the store without a credential (their next login sets it)`);

  const trickleStats = await rt.store.stats(rt.config.connection);
  o.say(`5. After the trickle phase: ${trickleStats.total} users in Ferry's store — ${Object.entries(trickleStats.byOrigin).map(([k, v]) => `${k} ${v}`).join(', ')}`);

  o.say(`6. Bulk phase (ferry migrate --remaining): everyone else, streamed from legacy into the store …`);
  const report = join(dir, 'migrate-report.ndjson');
  const bulkStarted = performance.now();
  const bulk = await runBulk({
    source: requireCapability(rt.connector as NonNullable<typeof rt.connector>, 'exportUsers', 'the demo'),
    // Read and prepared in a worker thread, as `ferry migrate` does.
    ...sourceThreadOption(true, rt),
    sink: new StoreSink({ store: rt.store, hashing: rt.container.get(PasswordHashing), connection: rt.config.connection }),
    reportPath: report,
    keepFerryHash: true,
    afterComplete: 'new',
  });
  const c = bulk.state.counts;
  o.say(`   records in ${c.read} = written ${c.written} + skipped ${c.skipped} (already migrated by login or reset) + rejected ${c.rejected}, in ${((performance.now() - bulkStarted) / 1000).toFixed(1)} s`);
  o.say(`   every rejected row is in ${report} with its reason (broken rows, second users of an email); no hash or secret is written there`);

  o.say('7. Verify (ferry verify): is every migratable legacy user in the store?');
  const v = await verifyMigration({ source: requireCapability(rt.connector as NonNullable<typeof rt.connector>, 'exportUsers', 'the demo'), store: rt.store, connection: rt.config.connection });
  o.say(`   ${v.present} of ${v.legacy.migratable} migratable users present (${v.percentPresent}%), ${v.missing} missing; ${v.legacy.unmigratable} rows can never be migrated (${Object.entries(v.legacy.unmigratableByCode).map(([k, n]) => `${k} ${n}`).join(', ')})`);

  const loggedIn = new Set(loginIdx);
  const candidates = (await Promise.all(spread(total, 60, 5).map(userAt))).filter((u) => u.email !== null && u.defect === undefined && !loggedIn.has(u.index));
  const bulkUsers = candidates.filter((u) => !u.disabled).slice(0, 20);
  const disabledUser = candidates.find((u) => u.disabled);
  o.say(`8. ${bulkUsers.length} bulk-imported users log in with their original legacy passwords (legacy is not called) …`);
  let bulkOk = 0;
  let upgraded = 0;
  for (const u of bulkUsers) {
    const r = await dataErrorsAsNull(engine.login(u.email as string, u.password));
    if (r?.ok && r.source === 'store') bulkOk++;
    const found = await rt.store.findForLogin(rt.config.connection, u.email as string);
    if (found?.credential?.scheme === 'argon2id') upgraded++;
  }
  o.say(`   ${bulkOk}/${bulkUsers.length} logged in, verified against their imported legacy hash; ${upgraded} credentials upgraded to argon2id on the way`);
  if (disabledUser) {
    const r = await dataErrorsAsNull(engine.login(disabledUser.email as string, disabledUser.password));
    o.say(`   ${disabledUser.email} was disabled in legacy and imported blocked: login refused (${r?.ok === false ? r.reason : 'unexpected'})`);
  }

  const stats = await rt.store.stats(rt.config.connection);
  o.say(`9. Status: ${stats.total} users in Ferry's store — ${Object.entries(stats.byOrigin).map(([k, v]) => `${k} ${v}`).join(', ')}`);

  o.say('10. Disconnecting legacy (ferry mode disconnected) …');
  await engine.setMode('disconnected');
  const migratedSample = [...migrated.slice(0, 10).map((x) => x.u), ...bulkUsers.slice(0, 10)];
  let ok = 0;
  for (const u of migratedSample) if ((await dataErrorsAsNull(engine.login(u.email as string, u.password)))?.ok) ok++;
  const brokenSample = (await Promise.all(spread(total, 2000, 3).map(userAt))).filter((u) => u.email !== null && u.defect !== undefined).slice(0, 10);
  let refused = 0;
  for (const u of brokenSample) if (!(await dataErrorsAsNull(engine.login(u.email as string, u.password)))?.ok) refused++;
  o.say(`   trickle- and bulk-migrated users still log in with their original passwords: ${ok}/${migratedSample.length}`);
  o.say(`   broken legacy rows, never migrated, are refused now that legacy is disconnected: ${refused}/${brokenSample.length}`);
  o.say(`Done. Look around: ferry status --config ${join(dir, 'ferry.yaml')}   ferry verify --config ${join(dir, 'ferry.yaml')}`);
  return {
    dir,
    legacyUsers: total,
    brokenRows: broken,
    trickle: { attempted: loginUsers.length, migrated: migrated.length, refusedBrokenRows: refusedBroken, wrongPasswordRefused: wrongRefused, secondLoginFromStore: fromStore },
    resets: { lookedUp: resetUsers.length, createdWithoutCredential: created },
    bulk: { ...c, report },
    verify: { migratable: v.legacy.migratable, present: v.present, missing: v.missing, percentPresent: v.percentPresent, unmigratable: v.legacy.unmigratable },
    bulkLogins: { sampled: bulkUsers.length, loggedIn: bulkOk, upgradedToArgon2id: upgraded },
    statusBeforeDisconnect: stats,
    afterDisconnect: { migratedUsersLoggedIn: ok, migratedSampled: migratedSample.length, brokenRowsRefused: refused, brokenRowsSampled: brokenSample.length },
  };
}
