/**
 * Measures how far the pane's content moved between two moments, so copy mode can keep its view
 * on the same lines while the pane prints (tmux raises oy by the lines that scrolled into history).
 *
 * Below the scrollback limit, history only grows at its end: the growth of history is the answer
 * and old lines keep their absolute numbers. At the limit the emulator drops its oldest lines as
 * new ones arrive and history stops growing, and the public emulator API does not count drops; so
 * an anchor remembers a few non-blank history lines near the view and the drop is the smallest
 * shift that puts them back in place (lines of history never change once written).
 *
 * Invariants: pure reads of the grid; a resize between the two moments (which reflows history)
 * makes the measure unknown rather than wrong.
 */
import type { CopyGrid } from './copy-grid.js';

/** Non-blank lines remembered, and how far above the view they are looked for. */
const ANCHOR_LINES = 8;
const ANCHOR_SCAN = 64;

export interface Anchor {
  cols: number;
  rows: number;
  history: number;
  /** Non-blank history lines by absolute number, in increasing order. */
  lines: { abs: number; text: string }[];
}

export interface ContentMove {
  /** Lines that scrolled into history. */
  scrolled: number;
  /** Of those, how many pushed old lines out (absolute numbers shift down by this much). */
  trimmed: number;
}

/**
 * Remembers non-blank history lines from the top of a view `oy` lines up (or from the last lines
 * of history when the view is at the bottom), then above it if there were too few.
 */
export function captureAnchor(grid: CopyGrid, oy: number): Anchor {
  const history = grid.history;
  const top = Math.max(0, Math.min(history - oy, history - ANCHOR_LINES));
  const lines: Anchor['lines'] = [];
  const take = (abs: number): void => {
    const text = grid.lineText(abs);
    if (text !== '') lines.push({ abs, text });
  };
  for (let abs = top; abs < history && lines.length < ANCHOR_LINES; abs++) take(abs);
  const floor = Math.max(0, top - ANCHOR_SCAN);
  for (let abs = top - 1; abs >= floor && lines.length < ANCHOR_LINES; abs--) take(abs);
  lines.sort((a, b) => a.abs - b.abs);
  return { cols: grid.cols, rows: grid.rows, history, lines };
}

/** How the content moved since `anchor` was taken; null when unknown (the pane was resized). */
export function contentMoveSince(grid: CopyGrid, anchor: Anchor): ContentMove | null {
  if (grid.cols !== anchor.cols || grid.rows !== anchor.rows) return null;
  const history = grid.history;
  const grown = Math.max(0, history - anchor.history);
  if (history < grid.historyLimit) return { scrolled: grown, trimmed: 0 };
  const trimmed = trimmedSince(grid, anchor);
  return { scrolled: grown + trimmed, trimmed };
}

/**
 * The smallest shift that puts every anchor line back in place; Infinity when they are gone, and
 * 0 when nothing was remembered (a blank history carries no position).
 */
function trimmedSince(grid: CopyGrid, anchor: Anchor): number {
  const lines = anchor.lines;
  if (lines.length === 0) return 0;
  for (let shift = 0; shift <= lines[0]!.abs; shift++) {
    if (lines.every(({ abs, text }) => grid.lineText(abs - shift) === text)) return shift;
  }
  return Number.POSITIVE_INFINITY;
}
