/**
 * De-duplication of a files run by user_id and email, in bounded memory.
 *
 * Keys live in a fixed-size open-addressing hash table, one 32-bit slot per entry: the
 * key's sequence number in the low bits, a few bits of its hash (a tag) in the high ones
 * — 16 MB for the default capacity. The keys themselves are in an append-only log in the
 * run's database (`seen_log`, one row per batch, written in the batch's transaction) and
 * the table is rebuilt from it on resume. A tag match is confirmed against the logged
 * key, so a hash collision never rejects anyone; with 10 tag bits about one probe in a
 * thousand reads the log for nothing.
 *
 * The table never grows: when it holds `capacity` keys, further keys go to the indexed
 * tables `seen_ids`/`seen_emails` (the earlier, slower design: random B-tree inserts),
 * so memory stays the same whatever the number of users and a run beyond the table only
 * gets slower. Runs of the earlier design resume on those tables as they are.
 */
import { hash } from 'node:crypto';
import type Database from 'better-sqlite3';

/** How many keys the in-memory table holds by default (two a user: ~1.45M users in 16 MB). */
export const SEEN_KEYS_IN_MEMORY = 2_900_000;

// A slot is free while it is 0 (sequence numbers start at 1); seeds tell ids from emails.
const ID_SEED = 0x9e3779b1;
const EMAIL_SEED = 0x85ebca77;
const MAX_LOAD = 0.7;

/** A logged key: a user_id, or a lower-cased email with its owner's user_id. One JSON line each in the log. */
type LoggedKey = string | [email: string, owner: string];

/** A 32-bit murmur3-style hash of a string's UTF-16 units (fast, and collisions are confirmed anyway). Exported for tests. */
export function hash32(key: string, seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < key.length; i += 1) {
    h = Math.imul(h ^ key.charCodeAt(i), 0x5bd1e995);
    h ^= h >>> 15;
  }
  h ^= key.length;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A 64-bit digest of a key, the integer key of the overflow tables. */
function keyDigest(key: string): bigint {
  return hash('sha1', key, 'buffer').readBigInt64LE(0);
}

/** The run's seen user ids and emails; see the module comment. All writes belong to the caller's transaction. */
export class SeenKeys {
  private readonly mask: number;
  private readonly slots: Uint32Array;
  private readonly capacity: number;
  /** Slot layout: `tag * seqSpan + seq`, the tag being the hash's top `32 - log2(seqSpan)` bits. */
  private readonly seqSpan: number;
  private readonly tagShift: number;
  private count = 0;
  /** Sequence number of the next key; the log row of a batch is keyed by its first key's. */
  private nextSeq = 1;
  /** Keys added since the last commit, the slots they took, and whether they are logged (not yet committed). */
  private batch: LoggedKey[] = [];
  private batchSlots: number[] = [];
  private logged = false;
  /** True once the table is full or an earlier design's run is resumed: look in the overflow tables too. */
  private overflow = false;
  private overflowAtBatch = false;
  /** The last log row read to confirm a match (duplicates tend to cluster). */
  private cached: { seq: number; lines: string } | undefined;
  private readonly st;
  private lastId: string | undefined;
  private lastIdHash = 0;
  private lastEmail: string | undefined;
  private lastEmailHash = 0;

  constructor(
    private readonly db: Database.Database,
    capacity = SEEN_KEYS_IN_MEMORY,
  ) {
    this.capacity = Math.max(1, Math.floor(capacity));
    let slots = 16;
    while (slots * MAX_LOAD < this.capacity) slots *= 2;
    this.mask = slots - 1;
    this.slots = new Uint32Array(slots);
    let seqBits = 1;
    while (2 ** seqBits <= this.capacity) seqBits += 1;
    this.seqSpan = 2 ** seqBits;
    this.tagShift = seqBits;
    db.exec(`
      CREATE TABLE IF NOT EXISTS seen_log (seq INTEGER PRIMARY KEY, keys TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS seen_ids (h INTEGER PRIMARY KEY, user_id TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS seen_emails (h INTEGER PRIMARY KEY, email TEXT NOT NULL, user_id TEXT NOT NULL);
    `);
    this.st = {
      log: db.prepare('INSERT INTO seen_log (seq, keys) VALUES (?, ?)'),
      logAt: db.prepare<[number], { seq: number; lines: string }>('SELECT seq, keys AS lines FROM seen_log WHERE seq <= ? ORDER BY seq DESC LIMIT 1'),
      logAll: db.prepare<[], { seq: number; keys: string }>('SELECT seq, keys FROM seen_log ORDER BY seq'),
      anyOverflow: db.prepare<[], { n: number }>('SELECT (EXISTS (SELECT 1 FROM seen_ids) OR EXISTS (SELECT 1 FROM seen_emails)) AS n'),
      seeId: db.prepare('INSERT OR IGNORE INTO seen_ids (h, user_id) VALUES (?, ?)'),
      idAt: db.prepare<[bigint], { user_id: string }>('SELECT user_id FROM seen_ids WHERE h = ?'),
      seeEmail: db.prepare('INSERT OR IGNORE INTO seen_emails (h, email, user_id) VALUES (?, ?, ?)'),
      emailAt: db.prepare<[bigint], { email: string; user_id: string }>('SELECT email, user_id FROM seen_emails WHERE h = ?'),
    };
  }

  /** Rebuild the table from the committed log (on resume). */
  load(): void {
    this.clearMemory();
    for (const row of this.st.logAll.iterate()) {
      const keys = row.keys.split('\n');
      for (let i = 0; i < keys.length; i += 1) {
        const key = JSON.parse(keys[i] as string) as LoggedKey;
        this.place(typeof key === 'string' ? hash32(key, ID_SEED) : hash32(key[0], EMAIL_SEED), row.seq + i);
      }
      this.nextSeq = row.seq + keys.length;
    }
    this.count = this.nextSeq - 1;
    this.overflow = this.count >= this.capacity || this.st.anyOverflow.get()?.n === 1;
    this.overflowAtBatch = this.overflow;
  }

  /** Forget everything (the caller deletes the tables' rows). */
  clearMemory(): void {
    this.slots.fill(0);
    this.count = 0;
    this.nextSeq = 1;
    this.batch = [];
    this.batchSlots = [];
    this.logged = false;
    this.overflow = false;
    this.overflowAtBatch = false;
    this.cached = undefined;
  }

  /** True when a record of this run already has `userId`. */
  hasUserId(userId: string): boolean {
    if (this.find(this.idHash(userId), (key) => key === userId) !== undefined) return true;
    return this.overflow && this.st.idAt.get(keyDigest(`i:${userId}`))?.user_id === userId;
  }

  /** The user_id of the record of this run that has `email` (lower-cased), if any. */
  emailOwner(email: string): string | undefined {
    const found = this.find(this.emailHash(email), (key) => typeof key !== 'string' && key[0] === email);
    if (found !== undefined) return (found as [string, string])[1];
    if (!this.overflow) return undefined;
    const row = this.st.emailAt.get(keyDigest(`e:${email}`));
    return row?.email === email ? row.user_id : undefined;
  }

  /**
   * Record a user's id and lower-cased email; the caller has checked that neither is
   * seen. A 64-bit digest clash in the overflow tables (another key, same digest) leaves
   * the key unrecorded there, as the earlier design did: it can't reject anyone.
   */
  add(userId: string, email: string): void {
    this.addUserId(userId);
    this.addEmail(email, userId);
  }

  /** Record a user_id alone (a record without email). */
  addUserId(userId: string): void {
    this.addKey(userId, this.idHash(userId), () => this.st.seeId.run(keyDigest(`i:${userId}`), userId));
  }

  /** Record a lower-cased email and the user_id that has it. */
  addEmail(email: string, owner: string): void {
    this.addKey([email, owner], this.emailHash(email), () => this.st.seeEmail.run(keyDigest(`e:${email}`), email, owner));
  }

  /** Log the batch's keys (inside the batch's transaction). */
  flush(): void {
    if (this.batch.length > 0 && !this.logged) {
      // One JSON line a key (JSON has no raw newline), so a confirmation parses one line, not the row.
      let lines = JSON.stringify(this.batch[0]);
      for (let i = 1; i < this.batch.length; i += 1) lines += `\n${JSON.stringify(this.batch[i])}`;
      this.st.log.run(this.nextSeq - this.batch.length, lines);
      this.logged = true;
    }
  }

  /** The batch's transaction committed: its keys are for good. */
  committed(): void {
    this.batch = [];
    this.batchSlots = [];
    this.logged = false;
    this.overflowAtBatch = this.overflow;
  }

  /** Undo the keys added since the last commit (their transaction was rolled back). */
  rollback(): void {
    for (let i = this.batchSlots.length - 1; i >= 0; i -= 1) this.slots[this.batchSlots[i] as number] = 0;
    this.count -= this.batchSlots.length;
    this.nextSeq -= this.batch.length;
    this.batch = [];
    this.batchSlots = [];
    this.logged = false;
    this.overflow = this.overflowAtBatch;
    this.cached = undefined;
  }

  // The sink looks a record's keys up, then adds them: hash each once.
  private idHash(userId: string): number {
    if (this.lastId !== userId) {
      this.lastId = userId;
      this.lastIdHash = hash32(userId, ID_SEED);
    }
    return this.lastIdHash;
  }

  private emailHash(email: string): number {
    if (this.lastEmail !== email) {
      this.lastEmail = email;
      this.lastEmailHash = hash32(email, EMAIL_SEED);
    }
    return this.lastEmailHash;
  }

  private addKey(key: LoggedKey, h: number, spill: () => void): void {
    if (this.count >= this.capacity) {
      this.overflow = true;
      spill();
      return;
    }
    this.batchSlots.push(this.place(h, this.nextSeq));
    this.batch.push(key);
    this.nextSeq += 1;
    this.count += 1;
  }

  private place(h: number, seq: number): number {
    let i = h & this.mask;
    while (this.slots[i] !== 0) i = (i + 1) & this.mask;
    this.slots[i] = (h >>> this.tagShift) * this.seqSpan + seq;
    return i;
  }

  /** Probe for `h`; a slot with the same tag is confirmed against the logged key. */
  private find(h: number, same: (key: LoggedKey) => boolean): LoggedKey | undefined {
    const tag = h >>> this.tagShift;
    for (let i = h & this.mask; this.slots[i] !== 0; i = (i + 1) & this.mask) {
      const slot = this.slots[i] as number;
      if (Math.floor(slot / this.seqSpan) !== tag) continue;
      const key = this.keyAt(slot % this.seqSpan);
      if (key !== undefined && same(key)) return key;
    }
    return undefined;
  }

  private keyAt(seq: number): LoggedKey | undefined {
    const inBatch = seq - (this.nextSeq - this.batch.length);
    if (inBatch >= 0) return this.batch[inBatch];
    if (this.cached === undefined || seq < this.cached.seq) this.cached = this.st.logAt.get(seq);
    const key = this.lineOf(seq);
    if (key !== undefined) return key;
    // The cached row ends before the key: read the key's own row.
    this.cached = this.st.logAt.get(seq);
    return this.lineOf(seq);
  }

  /** The key `seq` from the cached log row, if the row holds it. */
  private lineOf(seq: number): LoggedKey | undefined {
    const row = this.cached;
    if (row === undefined || seq < row.seq) return undefined;
    let start = 0;
    for (let n = seq - row.seq; n > 0; n -= 1) {
      start = row.lines.indexOf('\n', start) + 1;
      if (start === 0) return undefined;
    }
    const end = row.lines.indexOf('\n', start);
    return JSON.parse(end < 0 ? row.lines.slice(start) : row.lines.slice(start, end)) as LoggedKey;
  }
}
