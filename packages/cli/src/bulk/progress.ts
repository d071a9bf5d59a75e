/**
 * Progress of a bulk run on stderr (stdout stays clean for --json): a line redrawn in
 * place on a terminal — counts, rate and, when the total is known, ETA — and a plain
 * line every few seconds otherwise (CI logs, pipes).
 */
import type { RunState } from '@ferry/core';

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** Records expected, when known (enables the bar and ETA). */
  total?: number;
  /** Seconds between plain lines when stderr is not a terminal (default 5). */
  intervalSeconds?: number;
  stream?: NodeJS.WriteStream;
  /** Print nothing (e.g. --json). */
  quiet?: boolean;
}

/** A progress reporter: call `update` after each batch and `end` once. */
export interface Progress {
  update(state: Pick<RunState, 'counts'>): void;
  end(): void;
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** Start reporting; counts before `update` was first called (a resumed run) don't count towards the rate. */
export function createProgress(options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const tty = stream.isTTY === true;
  const started = Date.now();
  let base: number | undefined;
  // The first plain line comes one interval in, when the rate means something.
  let lastPrint = tty ? 0 : started;
  let drawn = false;
  const line = (s: Pick<RunState, 'counts'>): string => {
    const c = s.counts;
    const elapsed = (Date.now() - started) / 1000;
    const rate = elapsed > 0 ? (c.read - (base ?? c.read)) / elapsed : 0;
    const parts = [`${c.read} read`, `${c.written} written`, `${c.skipped} skipped`, `${c.rejected} rejected`, `${Math.round(rate)}/s`];
    if (options.total !== undefined && options.total > 0) {
      const share = Math.min(1, c.read / options.total);
      const width = 20;
      const bar = '#'.repeat(Math.round(share * width)).padEnd(width, '.');
      parts.unshift(`[${bar}] ${(share * 100).toFixed(0)}%`);
      parts.push(`ETA ${rate > 0 ? duration((options.total - c.read) / rate) : '?'}`);
    }
    return parts.join('  ');
  };
  return {
    update(state) {
      if (options.quiet === true) return;
      base ??= state.counts.read;
      const now = Date.now();
      if (tty) {
        if (now - lastPrint < 100) return;
        stream.write(`\r${line(state)}\x1b[K`);
        drawn = true;
      } else {
        if (now - lastPrint < (options.intervalSeconds ?? 5) * 1000) return;
        stream.write(`${new Date().toISOString()} ${line(state)}\n`);
      }
      lastPrint = now;
    },
    end() {
      if (tty && drawn) stream.write('\r\x1b[K');
    },
  };
}
