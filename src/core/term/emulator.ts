/**
 * Façade over @xterm/headless: one emulator per pane, configured the way the relay needs it
 * (proposed API on for buffer access, Unicode 11 widths so emoji match real terminals, a
 * scrollback limit, scrollback recycling without garbage: keepEmptyCellMaps; new scrollback lines cut from per-pane
 * slabs while output is parsed: line-arena.ts; repeat counts capped so
 * that a few bytes cannot hold the relay: count-clamp.ts; bulk plain output that
 * scrolls out unseen is not parsed: scroll-skip.ts; which screen rows changed: pane-damage.ts).
 * The rest of the code creates emulators only through here.
 *
 * Invariants: the default import is used on purpose; the package's named ESM exports are broken
 * under plain Node (shared/notes/stack-spike.md §1.2). xterm's own logging is off: it would print
 * a multi-line "Parsing error" dump to the relay's stderr (the JSON log stream) for odd bytes a
 * host sends, so any host could flood and corrupt the relay's logs.
 */
import xterm from '@xterm/headless';
import type { Terminal } from '@xterm/headless';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { clampRepeatCounts } from './count-clamp.js';
import { inLineArena, useLineArena } from './line-arena.js';
import { trackDamage } from './pane-damage.js';
import { feedSkippingScrolledOut } from './scroll-skip.js';
import { bufferLinePrototype, sourceText, type BufferLineFields } from './xterm-buffer-line.js';

export type Emulator = Terminal;

export function createEmulator(cols: number, rows: number, scrollback: number): Emulator {
  const term = new xterm.Terminal({
    cols: Math.max(1, cols),
    rows: Math.max(1, rows),
    scrollback,
    allowProposedApi: true,
    convertEol: false,
    logLevel: 'off',
  });
  term.loadAddon(new Unicode11Addon());
  term.unicode.activeVersion = '11';
  keepEmptyCellMaps(term);
  useLineArena(term);
  clampRepeatCounts(term);
  trackDamage(term);
  return term;
}

/** The parts of xterm's BufferLine that its copyFrom() touches (@xterm/headless 6.0.0). */
interface RecyclableLine extends BufferLineFields {
  copyFrom(line: RecyclableLine): void;
  [KEEPS_EMPTY_MAPS]?: true;
}

/** Marks the copyFrom installed below. */
const KEEPS_EMPTY_MAPS = Symbol('keepsEmptyCellMaps');

/**
 * When the scrollback is full, xterm recycles the oldest line for every new one and copyFrom()
 * gives it two new empty maps (combined characters, extended attributes). The recycled line lives
 * in V8's old generation, so each pair survives the next scavenge and is promoted: with 100
 * streaming panes this was 60 % of what the relay promoted (1.1 → 0.45 MB per scavenge, median
 * pause 9–10 → 6 ms). This copyFrom does the same copy but keeps a map that is empty when the
 * source's is empty too. Installed once, and only on the copyFrom it was written against (its
 * source text is checked), so an xterm upgrade that changes the method leaves xterm's own in place.
 */
function keepEmptyCellMaps(term: Terminal): void {
  const proto = bufferLinePrototype<RecyclableLine>(term);
  if (proto === null || proto[KEEPS_EMPTY_MAPS] || !isXtermCopyFrom(proto.copyFrom)) return;
  proto.copyFrom = function copyFrom(this: RecyclableLine, source: RecyclableLine): void {
    if (this.length !== source.length) this._data = new Uint32Array(source._data);
    else this._data.set(source._data);
    this.length = source.length;
    this._combined = copyCellMap(this._combined, source._combined);
    this._extendedAttrs = copyCellMap(this._extendedAttrs, source._extendedAttrs);
    this.isWrapped = source.isWrapped;
  };
  proto[KEEPS_EMPTY_MAPS] = true;
}

/** xterm 6.0.0's BufferLine.copyFrom: fresh maps, copied key by key. */
function isXtermCopyFrom(method: unknown): boolean {
  const text = sourceText(method);
  return text.includes('this._combined={}') && text.includes('this._extendedAttrs={}') && text.includes('this.isWrapped=');
}

function copyCellMap<T>(own: Record<number, T>, source: Record<number, T>): Record<number, T> {
  if (isEmptyMap(source)) return isEmptyMap(own) ? own : {};
  const copy: Record<number, T> = {};
  for (const key in source) copy[key] = source[key]!;
  return copy;
}

function isEmptyMap(map: object): boolean {
  for (const _key in map) return false;
  return true;
}

/** Whether createEmulator() replaced xterm's BufferLine.copyFrom (false after an xterm change). */
export function keepsEmptyCellMaps(term: Terminal): boolean {
  return bufferLinePrototype<RecyclableLine>(term)?.[KEEPS_EMPTY_MAPS] === true;
}

/** The internal write queue of xterm's core; only its synchronous entry point is used. */
interface SyncWritable {
  _core?: { _writeBuffer?: { writeSync?: (data: string | Uint8Array) => void } };
}

/**
 * Feeds bytes to the emulator and parses them before returning. The public `write()` parses on a
 * later timer tick; parsing synchronously keeps pane state, resizes and renders in message order
 * and saves a timer hop per output chunk. We register no async parser hooks, which is what makes
 * xterm call the synchronous path "unreliable". Long runs of plain lines that would scroll out
 * of the scrollback anyway are left out (scroll-skip.ts); the result is the same.
 */
export function feedEmulator(term: Emulator, data: string | Uint8Array): void {
  const writeBuffer = (term as unknown as SyncWritable)._core?._writeBuffer;
  if (typeof data === 'string' || typeof writeBuffer?.writeSync !== 'function') return parseSync(term, data);
  inLineArena(term, () => feedSkippingScrolledOut(term, data, (bytes) => writeBuffer.writeSync?.(bytes)));
}

/** Parses everything in `data` now (through xterm's synchronous entry when it has one). */
export function parseSync(term: Emulator, data: string | Uint8Array): void {
  const writeBuffer = (term as unknown as SyncWritable)._core?._writeBuffer;
  if (writeBuffer?.writeSync) inLineArena(term, () => writeBuffer.writeSync?.(data));
  else term.write(data);
}
