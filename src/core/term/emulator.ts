/**
 * Façade over @xterm/headless: one emulator per pane, configured the way the relay needs it
 * (proposed API on for buffer access, Unicode 11 widths so emoji match real terminals, a
 * scrollback limit, lines without combined characters or extended attributes sharing one empty map
 * each: shared-cell-maps.ts; new scrollback lines cut from per-pane slabs while output is parsed:
 * line-arena.ts; scrollback lines packed into strings in the background: packed-lines.ts and
 * scrollback-packer.ts; repeat counts capped so that a few bytes cannot hold the relay: count-clamp.ts;
 * bulk plain output that scrolls out unseen is not parsed: scroll-skip.ts; which screen rows
 * changed: pane-damage.ts; a cleared screen kept in the scrollback, as tmux keeps it:
 * clear-into-history.ts; an erased line kept joined to the one above, as tmux keeps it:
 * erase-keeps-wrap.ts; bells counted: bell-count.ts; resizes as tmux resizes a pane:
 * tmux-resize.ts; the work of expensive control sequences budgeted: work-budget.ts).
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
import { countBells } from './bell-count.js';
import { resizeLikeTmux } from './tmux-resize.js';
import { clearIntoHistory } from './clear-into-history.js';
import { keepWrapOnErase } from './erase-keeps-wrap.js';
import { clampRepeatCounts } from './count-clamp.js';
import { arenaCells, inLineArena, useLineArena } from './line-arena.js';
import { setCellAllocator, usePackedLines } from './packed-lines.js';
import { trackDamage } from './pane-damage.js';
import { feedSkippingScrolledOut } from './scroll-skip.js';
import { noteOutput, packScrollbackOf } from './scrollback-packer.js';
import { useSharedCellMaps } from './shared-cell-maps.js';
import { earnWork, limitAmplifiedWork } from './work-budget.js';

setCellAllocator(arenaCells);

export type Emulator = Terminal;

export function createEmulator(cols: number, rows: number, scrollback: number): Emulator {
  const term = new xterm.Terminal({
    cols: Math.max(1, cols),
    rows: Math.max(1, rows),
    scrollback,
    allowProposedApi: true,
    convertEol: false,
    // Clearing the screen pushes it into the scrollback, as tmux does (clear-into-history.ts).
    scrollOnEraseInDisplay: true,
    // The cursor's line rewraps too, as in tmux: xterm's default leaves it to the shell to redraw,
    // which left a viewer's pane a row off a tmux host's after narrowing past a prompt.
    reflowCursorLine: true,
    logLevel: 'off',
  });
  term.loadAddon(new Unicode11Addon());
  term.unicode.activeVersion = '11';
  useSharedCellMaps(term);
  useLineArena(term);
  // Last: its wrappers unpack a line before the patches above (and xterm) touch its cells.
  usePackedLines(term);
  // After usePackedLines: its resize (which unpacks what a resize touches) runs inside this one.
  resizeLikeTmux(term);
  packScrollbackOf(term);
  clampRepeatCounts(term);
  clearIntoHistory(term);
  keepWrapOnErase(term);
  // After the handlers above: its own run first, so a skipped operation reaches none of them.
  limitAmplifiedWork(term);
  countBells(term);
  trackDamage(term);
  return term;
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
  noteOutput(term);
  earnWork(term, data.length);
  inLineArena(term, () => feedSkippingScrolledOut(term, data, (bytes) => writeBuffer.writeSync?.(bytes)));
}

/** Parses everything in `data` now (through xterm's synchronous entry when it has one). */
export function parseSync(term: Emulator, data: string | Uint8Array): void {
  const writeBuffer = (term as unknown as SyncWritable)._core?._writeBuffer;
  noteOutput(term);
  earnWork(term, data.length);
  if (writeBuffer?.writeSync) inLineArena(term, () => writeBuffer.writeSync?.(data));
  else term.write(data);
}
