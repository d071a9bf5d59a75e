/**
 * A streaming splitter for IdentitySync account files: it cuts a byte stream into the
 * raw JSON text of each account without parsing the whole file, so memory holds one
 * account at a time. Accepted shapes: a top-level array of accounts, an object whose
 * `results` or `accounts` member is that array, and concatenated or newline-delimited
 * objects (NDJSON). JSON's structural bytes are ASCII, so scanning UTF-8 bytes is safe.
 *
 * A top-level object is a wrapper only when it is the file's first value, its
 * `results`/`accounts` member is an array, and no `UID` member came before it: Gigya
 * accounts have no top-level `results` or `accounts` field (custom ones live in `data`).
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const WRAPPER_KEYS = new Set(['results', 'accounts']);

/** Where the scanner is: between top-level values, in a top-level array, in a top-level object, in a wrapper's array, or after it. */
type Mode = 'top' | 'array' | 'object' | 'wrapper' | 'tail';

/** One element cut from the stream: its JSON text, or a non-object element. */
export type SplitElement = { text: Buffer } | { scalar: true };

/** Thrown for a byte stream that is none of the accepted shapes. */
export class UnsupportedLayoutError extends Error {}

/** Feed chunks with {@link push}; each call returns the elements completed by that chunk. */
export class JsonRecordSplitter {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private inScalar = false;
  private mode: Mode = 'top';
  /** Depth outside the buffered element's opening bracket, or -1 when not buffering. */
  private recordDepth = -1;
  private parts: Buffer[] = [];
  private partStart = 0;
  private keyBytes: number[] | undefined;
  private lastString: string | undefined;
  private pendingKey: string | undefined;
  private topValues = 0;
  private sawUid = false;

  /** Elements completed within `chunk`. */
  push(chunk: Buffer): SplitElement[] {
    const out: SplitElement[] = [];
    let i = 0;
    this.partStart = 0;
    const n = chunk.length;
    for (; i < n; i++) {
      const b = chunk[i] as number;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (b === BACKSLASH) this.escaped = true;
        else if (b === QUOTE) {
          this.inString = false;
          if (this.keyBytes !== undefined) {
            this.lastString = Buffer.from(this.keyBytes).toString('utf8');
            this.keyBytes = undefined;
          }
          continue;
        }
        this.keyBytes?.push(b);
        continue;
      }
      if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) {
        this.inScalar = false;
        continue;
      }
      // A UTF-8 byte order mark before the first value.
      if (this.mode === 'top' && this.topValues === 0 && (b === 0xef || b === 0xbb || b === 0xbf)) continue;
      if (b === QUOTE) {
        this.inString = true;
        this.pendingKey = undefined;
        if (this.mode === 'object' && this.depth === 1) this.keyBytes = [];
        else if (this.atElementStart()) out.push({ scalar: true });
        else if (this.mode === 'top') throw new UnsupportedLayoutError('a top-level string');
        continue;
      }
      if (b === COLON) {
        if (this.mode === 'object' && this.depth === 1 && this.lastString !== undefined) {
          this.pendingKey = this.lastString;
          if (this.lastString === 'UID') this.sawUid = true;
        }
        this.lastString = undefined;
        continue;
      }
      if (b === COMMA) {
        this.inScalar = false;
        this.pendingKey = undefined;
        this.lastString = undefined;
        continue;
      }
      if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
        if (this.mode === 'top') {
          this.topValues++;
          this.sawUid = false;
          if (b === OPEN_ARRAY) this.mode = 'array';
          else {
            this.mode = 'object';
            this.startRecord(i);
          }
        } else if (this.mode === 'object' && this.depth === 1 && b === OPEN_ARRAY && this.topValues === 1 && !this.sawUid && this.pendingKey !== undefined && WRAPPER_KEYS.has(this.pendingKey)) {
          // `{"results": [` — the object was a wrapper, not an account: drop what was buffered.
          this.mode = 'wrapper';
          this.recordDepth = -1;
          this.parts = [];
        } else if (this.atElementStart()) this.startRecord(i);
        this.pendingKey = undefined;
        this.depth++;
        continue;
      }
      if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
        this.inScalar = false;
        this.pendingKey = undefined;
        this.depth--;
        if (this.depth < 0) throw new UnsupportedLayoutError('an unbalanced closing bracket');
        if (this.recordDepth === this.depth) {
          this.parts.push(chunk.subarray(this.partStart, i + 1));
          out.push({ text: this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts) });
          this.parts = [];
          this.recordDepth = -1;
        }
        if (this.depth === 0) this.mode = 'top';
        else if (this.mode === 'wrapper' && this.depth === 1) this.mode = 'tail';
        continue;
      }
      // A number, true, false or null.
      this.pendingKey = undefined;
      if (this.mode === 'top') throw new UnsupportedLayoutError('a top-level scalar');
      if (!this.inScalar && this.atElementStart()) out.push({ scalar: true });
      this.inScalar = true;
    }
    if (this.recordDepth >= 0) this.parts.push(chunk.subarray(this.partStart));
    return out;
  }

  /** True when the stream ended between values; false when it stopped inside one. */
  get complete(): boolean {
    return this.depth === 0 && !this.inString;
  }

  /** An element starts here: directly inside the accounts array (top-level or wrapped). */
  private atElementStart(): boolean {
    return this.recordDepth < 0 && ((this.mode === 'array' && this.depth === 1) || (this.mode === 'wrapper' && this.depth === 2));
  }

  private startRecord(i: number): void {
    this.recordDepth = this.depth;
    this.parts = [];
    this.partStart = i;
  }
}
