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
import { GLYPH_ADVANCE, GLYPH_SIZE, paintBigText, putClipped } from './block-font.js';
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
  if (pane.cols < index.length * GLYPH_ADVANCE || pane.rows < GLYPH_SIZE) {
    putClipped(grid, centreX - Math.floor(index.length / 2), centreY, index, colour, clip);
    return;
  }
  paintBigText(grid, centreX - index.length * 3, centreY - 2, index, colour, clip);
  const size = `${pane.cols}x${pane.rows}`;
  if (pane.cols >= size.length && pane.rows >= 6) putClipped(grid, pane.xoff + pane.cols - size.length, pane.yoff, size, colour, clip);
}
