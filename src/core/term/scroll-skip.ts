/**
 * Bulk output without the work nobody can see: when one chunk of pane output holds a long run of
 * plain lines (printable ASCII, TAB, CR, LF, and colours: SGR sequences) and the end of that run
 * alone scrolls more lines than the scrollback and the screen hold, every line before that end is
 * gone from the emulator by the time the chunk is parsed. Those lines are not parsed at all: they
 * are replaced by their SGR sequences and one CR LF. A `seq 1 8000000` or a chatty coloured build
 * log then costs the relay a fraction of its per-line work (copying a blank line into the
 * recycled scrollback line, printing, scrolling).
 *
 * Why the result is identical, cell for cell, to parsing everything: a stretch is skipped only
 * - from a CR LF, after which the emulator is checked to be on the normal screen, in the parser's
 *   ground state, with the cursor at column 0 of the last row, the scroll region the whole screen
 *   and the viewport at the bottom: then every further LF scrolls one line into the scrollback;
 * - to a CR LF followed, within the same plain run, by at least scrollback + rows + 1 LFs: those
 *   scroll every line that existed before them out of the scrollback, so what the skipped stretch
 *   printed is discarded either way;
 * - and the stretch changes nothing else: plain bytes set no attribute, mode, charset or title;
 *   its SGRs, replayed in order, leave the attributes as they were at its end (an SGR's effect does
 *   not depend on the cursor or the screen); and the replacement's CR LF leaves the cursor, the
 *   erase colour of the new bottom line and the parser exactly where the stretch's last CR LF
 *   would have.
 *
 * The checks read xterm internals (scroll region, parser state, user scrolling), shape-checked:
 * when they are missing (another @xterm/headless version), nothing is ever skipped.
 */
import type { Terminal } from '@xterm/headless';

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const ESC = 0x1b;
const LEFT_BRACKET = 0x5b;
const SMALL_M = 0x6d;
const CRLF = new Uint8Array([CR, LF]);
/** Longer SGRs end a run (they are rare; 32 parameters of up to 3 digits fit). */
const MAX_SGR_BYTES = 160;

/** The internals the safety check reads (@xterm/headless 6.0.0). */
interface CoreInternals {
  _core?: {
    buffers?: { active?: unknown; normal?: unknown };
    _bufferService?: {
      isUserScrolling?: unknown;
      buffer?: { x?: unknown; y?: unknown; ybase?: unknown; ydisp?: unknown; scrollTop?: unknown; scrollBottom?: unknown };
    };
    _inputHandler?: { _parser?: { currentState?: unknown } };
  };
}

/** Byte classes for the scan: 0 ends a plain run, 1 is plain, 2 is plain and a line feed. */
const BYTE_CLASS = new Uint8Array(256);
for (let byte = 0x20; byte <= 0x7e; byte++) BYTE_CLASS[byte] = 1;
BYTE_CLASS[TAB] = 1;
BYTE_CLASS[CR] = 1;
BYTE_CLASS[LF] = 2;

/** Whether every further plain LF scrolls a line into the scrollback (see the header). */
export function scrollsEveryLine(term: Terminal): boolean {
  const core = (term as unknown as CoreInternals)._core;
  const service = core?._bufferService;
  const buffer = service?.buffer;
  const buffers = core?.buffers;
  if (core === undefined || buffer === undefined || buffers?.active === undefined || buffers.active !== buffers.normal) return false;
  return (
    buffer.x === 0 &&
    buffer.y === term.rows - 1 &&
    buffer.scrollTop === 0 &&
    buffer.scrollBottom === term.rows - 1 &&
    buffer.ydisp === buffer.ybase &&
    service?.isUserScrolling === false &&
    core._inputHandler?._parser?.currentState === 0
  );
}

/** Index just past the first CR LF in data[from, to), or -1. */
function afterFirstCrLf(data: Uint8Array, from: number, to: number): number {
  for (let i = from + 1; i < to; i++) if (data[i] === LF && data[i - 1] === CR) return i + 1;
  return -1;
}

/** Index just past the last CR LF in data[from, to) that has at least `lfs` LFs after it, or -1. */
function lastCrLfBefore(data: Uint8Array, from: number, to: number, lfs: number): number {
  let seen = 0;
  let i = to - 1;
  for (; i >= from && seen < lfs; i--) if (data[i] === LF) seen++;
  if (seen < lfs) return -1;
  // data[i + 1] is the lfs-th LF from the end; a boundary must come before it.
  for (; i > from; i--) if (data[i] === LF && data[i - 1] === CR) return i + 1;
  return -1;
}

/** Length of the SGR (`ESC [` digits, `;` or `:`, then `m`) starting at data[at], or 0. */
function sgrLength(data: Uint8Array, at: number, end: number): number {
  if (data[at] !== ESC || data[at + 1] !== LEFT_BRACKET) return 0;
  const last = Math.min(end, at + MAX_SGR_BYTES);
  for (let i = at + 2; i < last; i++) {
    const byte = data[i]!;
    if (byte === SMALL_M) return i + 1 - at;
    if ((byte < 0x30 || byte > 0x39) && byte !== 0x3b && byte !== 0x3a) return 0;
  }
  return 0;
}

/** Index just past the run (plain bytes and SGRs) starting at data[at]; sets `lfs.count` to its LFs. */
function runEnd(data: Uint8Array, at: number, end: number, lfs: { count: number }): number {
  let i = at;
  let count = 0;
  while (i < end) {
    const kind = BYTE_CLASS[data[i]!]!;
    if (kind !== 0) {
      count += kind >> 1;
      i++;
      continue;
    }
    const sgr = sgrLength(data, i, end);
    if (sgr === 0) break;
    i += sgr;
  }
  lfs.count = count;
  return i;
}

/**
 * Feeds `data` through `feed`, leaving out stretches of plain lines that would scroll out of the
 * scrollback before the end of their run (see the header). `feed` must parse synchronously.
 */
export function feedSkippingScrolledOut(term: Terminal, data: Uint8Array, feed: (bytes: Uint8Array) => void): void {
  const keep = (term.options.scrollback ?? 0) + term.rows + 1;
  const end = data.length;
  const lfs = { count: 0 };
  let fed = 0;
  let i = 0;
  if (end > keep) {
    while (i < end) {
      while (i < end && BYTE_CLASS[data[i]!] === 0 && sgrLength(data, i, end) === 0) i++;
      const runStart = i;
      i = runEnd(data, runStart, end, lfs);
      if (lfs.count > keep + 1) fed = skipInRun(term, data, fed, runStart, i, keep, feed);
    }
  }
  if (fed < end) feed(fed === 0 ? data : data.subarray(fed));
}

/** Feeds up to the run's first CR LF, then skips what the run's end scrolls away; returns how far data is handled. */
function skipInRun(term: Terminal, data: Uint8Array, fed: number, runStart: number, end: number, keep: number, feed: (bytes: Uint8Array) => void): number {
  const from = afterFirstCrLf(data, runStart, end);
  const to = lastCrLfBefore(data, runStart, end, keep);
  if (from < 0 || to <= from) return fed;
  feed(data.subarray(fed, from));
  const instead = scrollsEveryLine(term) ? replacement(data, from, to) : null;
  if (instead === null) return from;
  feed(instead);
  return to;
}

/**
 * The skipped stretch's SGRs, in order (they set the attributes the rest is drawn with), then
 * CR LF; null if an escape in it is not a whole SGR (the run scan makes that impossible).
 */
function replacement(data: Uint8Array, from: number, to: number): Uint8Array | null {
  let escape = data.indexOf(ESC, from);
  if (escape < 0 || escape >= to) return CRLF;
  const sgrs: Uint8Array[] = [];
  let bytes = 0;
  while (escape >= 0 && escape < to) {
    const length = sgrLength(data, escape, to);
    if (length === 0) return null;
    sgrs.push(data.subarray(escape, escape + length));
    bytes += length;
    escape = data.indexOf(ESC, escape + length);
  }
  const out = new Uint8Array(bytes + 2);
  let at = 0;
  for (const sgr of sgrs) {
    out.set(sgr, at);
    at += sgr.length;
  }
  out.set(CRLF, at);
  return out;
}
