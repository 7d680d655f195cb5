/**
 * What the relay may ask of a host's layout without ending the session for going over the
 * replica's limits (session-replica.ts, `layoutViolation`): a size whose cells, in every window
 * the host has plus one it may add, fit `maxLayoutCells`; and whether a viewer may add a window
 * or a pane. Without it, one read-write viewer with a 1000×1000 terminal in a session of five
 * windows (or a viewer pressing `C-b c` 256 times) made the host lay out more than the relay
 * accepts, and the session ended for everyone.
 *
 * Invariants: the size returned is at least 1×1, never larger than the one asked for in either
 * dimension, and keeps its shape as far as whole cells allow.
 */

/** `cols`×`rows`, shrunk until (windows + 1) × cols × rows ≤ maxCells. */
export function budgetedSize(cols: number, rows: number, windows: number, maxCells: number): [number, number] {
  const perWindow = Math.floor(maxCells / (Math.max(0, windows) + 1));
  if (cols * rows <= perWindow) return [cols, rows];
  const scale = Math.sqrt(perWindow / (cols * rows));
  let c = Math.max(1, Math.floor(cols * scale));
  let r = Math.max(1, Math.floor(rows * scale));
  while (c * r > perWindow && (c > 1 || r > 1)) {
    if (c >= r) c--;
    else r--;
  }
  return [c, r];
}

/** A session's layout as far as the budget goes. */
export interface LayoutUse {
  windows: number;
  /** Panes over every window. */
  panes: number;
  /** Visible cells over every pane of every window. */
  cells: number;
  /** Cells of one window at the session's size (what a new window takes). */
  windowCells: number;
}

/**
 * Why a viewer may not add a window or a pane now, or null. A new window takes a window's worth of
 * cells; splitting a pane does not add cells. The resize that makes room for the next window
 * (budgetedSize) may still be on its way, so a window is refused rather than sent when it would
 * not fit yet.
 */
export function noRoomFor(what: 'window' | 'pane', use: LayoutUse, maxPanes: number, maxCells: number): string | null {
  if (what === 'window' && use.windows >= maxPanes) return `no more windows: this relay keeps at most ${maxPanes}`;
  if (use.panes >= maxPanes) return `no more ${what}s: this relay keeps at most ${maxPanes} panes`;
  if (what === 'window' && use.cells + use.windowCells > maxCells) return 'no room for another window at this size yet; try again in a moment';
  return null;
}
