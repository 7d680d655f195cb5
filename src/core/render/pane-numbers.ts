/**
 * tmux's display-panes indicator (`C-b q`), drawn over one viewer's window: each visible pane's
 * index in large digits at its centre and its size (`80x24`) at its top right, the active pane in
 * red and the others in blue (tmux's display-panes-active-colour and display-panes-colour).
 *
 * As tmux draws it: the digits are blocks of background colour, 5×5 cells each with one column
 * between them, over the pane's content; a pane too small for them (fewer than 6 columns per
 * digit or 5 rows) shows its index as plain coloured text at its centre instead, and the size
 * label only appears where the pane has room for it and at least 6 rows.
 *
 * Invariants: nothing is drawn outside a visible pane's rectangle or at or beyond
 * (clipCols, clipRows); a pane's index is its position in the window's pane list.
 */
import type { PaneScene, WindowOverlay, WindowScene } from './scene.js';
import { COLOR_P16, type ScreenGrid } from './screen-grid.js';
import { parseArgs } from '../host/commands/command-args.js';

/**
 * display-panes' flags: tmux 2.4's `-t target-client` and template run for the pane chosen, and
 * later tmux's `-d duration` (milliseconds; 0 keeps the numbers until a key is pressed).
 */
const DISPLAY_PANES_FLAGS = 'd:t:';
const DISPLAY_PANES_USAGE = 'usage: display-panes [-d duration] [-t target-client] [template]';
const DEFAULT_TEMPLATE = "select-pane -t '%%'";
/** tmux's display-panes-time default: how long the numbers stay. */
const DEFAULT_DURATION_MS = 1000;

const ACTIVE_COLOUR = COLOR_P16 | 1;
const OTHER_COLOUR = COLOR_P16 | 4;
const DIGIT_SIZE = 5;
/** A digit and the gap after it. */
const DIGIT_ADVANCE = 6;

/** Digits 0–9 on a 5×5 grid, rows top to bottom, `#` filled. */
const DIGITS: readonly string[][] = [
  ['#####', '#...#', '#...#', '#...#', '#####'],
  ['....#', '....#', '....#', '....#', '....#'],
  ['#####', '....#', '#####', '#....', '#####'],
  ['#####', '....#', '#####', '....#', '#####'],
  ['#...#', '#...#', '#####', '....#', '....#'],
  ['#####', '#....', '#####', '....#', '#####'],
  ['#####', '#....', '#####', '#...#', '#####'],
  ['#####', '....#', '....#', '....#', '....#'],
  ['#####', '#...#', '#####', '#...#', '#####'],
  ['#####', '#...#', '#####', '....#', '#####'],
];

/** `display-panes [-d ms] [-t client] [template]`'s duration and template, or the error to show. */
export function displayPanesArgs(argv: readonly string[]): { duration: number; template: string } | { error: string } {
  const args = parseArgs(DISPLAY_PANES_FLAGS, argv.slice(1));
  if (args === null || args.args.length > 1) return { error: DISPLAY_PANES_USAGE };
  const raw = args.flags.get('d');
  const duration = raw === undefined ? DEFAULT_DURATION_MS : /^\d{1,9}$/.test(raw) ? Number(raw) : -1;
  if (duration < 0) return { error: `delay invalid: ${raw}` };
  return { duration, template: args.args[0] ?? DEFAULT_TEMPLATE };
}

/** The pane at `index` of `window` when it is one of the `visible` ones, else null. */
export function visiblePaneAt(window: WindowScene, visible: readonly PaneScene[], index: number): PaneScene | null {
  const pane = window.panes[index];
  return pane !== undefined && visible.includes(pane) ? pane : null;
}

/** display-panes' indicator as a viewer's overlay. */
export const PANE_NUMBERS: WindowOverlay = { paint: paintPaneNumbers, hidesCursor: false };

/** Draws the indicator of every visible pane into `grid`. */
function paintPaneNumbers(grid: ScreenGrid, window: WindowScene, visible: readonly PaneScene[], clipCols: number, clipRows: number): void {
  for (const pane of visible) {
    const colour = pane.id === window.activePaneId ? ACTIVE_COLOUR : OTHER_COLOUR;
    paintOne(grid, pane, String(window.panes.indexOf(pane)), colour, clipCols, clipRows);
  }
}

function paintOne(grid: ScreenGrid, pane: PaneScene, index: string, colour: number, clipCols: number, clipRows: number): void {
  const clip = { x1: Math.min(pane.xoff + pane.cols, clipCols), y1: Math.min(pane.yoff + pane.rows, clipRows) };
  const centreX = pane.xoff + Math.floor(pane.cols / 2);
  const centreY = pane.yoff + Math.floor(pane.rows / 2);
  if (pane.cols < index.length) return;
  if (pane.cols < index.length * DIGIT_ADVANCE || pane.rows < DIGIT_SIZE) {
    putClipped(grid, centreX - Math.floor(index.length / 2), centreY, index, colour, clip);
    return;
  }
  let left = centreX - index.length * 3;
  const top = centreY - 2;
  for (const ch of index) {
    const rows = DIGITS[ch.charCodeAt(0) - 0x30]!;
    for (let r = 0; r < DIGIT_SIZE; r++) {
      for (let c = 0; c < DIGIT_SIZE; c++) {
        if (rows[r]![c] === '#') putClipped(grid, left + c, top + r, ' ', 0, clip, colour);
      }
    }
    left += DIGIT_ADVANCE;
  }
  const size = `${pane.cols}x${pane.rows}`;
  if (pane.cols >= size.length && pane.rows >= 6) putClipped(grid, pane.xoff + pane.cols - size.length, pane.yoff, size, colour, clip);
}

/** Writes `text` (ASCII) from x on row y in fg/bg, cell by cell, inside `clip`. */
function putClipped(grid: ScreenGrid, x: number, y: number, text: string, fg: number, clip: { x1: number; y1: number }, bg = 0): void {
  if (y < 0 || y >= clip.y1) return;
  for (let i = 0; i < text.length; i++) {
    if (x + i >= 0 && x + i < clip.x1) grid.put(x + i, y, text.charCodeAt(i), 1, fg, bg, 0);
  }
}
