/**
 * `clock-mode` (tmux's `C-b t`) for one viewer: the time over the active pane as tmux 2.4 draws
 * it, `HH:MM` (clock-mode-style 24) in big blue blocks at the pane's centre (clock-mode-colour),
 * or as plain blue text where the pane is too small for them (fewer than 6 columns a character
 * or 6 rows). The pane is blank around it and the cursor hidden; any key leaves.
 *
 * tmux puts the pane in a mode that every client of the pane sees; a shared session's viewers
 * each get their own.
 *
 * Invariants: nothing is drawn outside the active pane's rectangle or at or beyond
 * (clipCols, clipRows); the time is read at each paint (the viewer redraws it every second).
 */
import { GLYPH_ADVANCE, paintBigText, putClipped } from './block-font.js';
import type { PaneScene, WindowOverlay, WindowScene } from './scene.js';
import { COLOR_P16, type ScreenGrid } from './screen-grid.js';

const CLOCK_COLOUR = COLOR_P16 | 4;

/** `HH:MM` of `ms` in local time, as strftime's `%H:%M`. */
export function clockText(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

export class ClockFace implements WindowOverlay {
  readonly hidesCursor = true;

  /** `now`: wall-clock milliseconds. */
  constructor(private readonly now: () => number) {}

  paint(grid: ScreenGrid, window: WindowScene, visible: readonly PaneScene[], clipCols: number, clipRows: number): void {
    const pane = visible.find((p) => p.id === window.activePaneId) ?? { xoff: 0, yoff: 0, cols: window.cols, rows: window.rows };
    const clip = { x1: Math.min(pane.xoff + pane.cols, clipCols), y1: Math.min(pane.yoff + pane.rows, clipRows) };
    for (let y = pane.yoff; y < clip.y1; y++) grid.clearSpan(y, pane.xoff, clip.x1);
    const text = clockText(this.now());
    const centreX = pane.xoff + Math.floor(pane.cols / 2);
    const centreY = pane.yoff + Math.floor(pane.rows / 2);
    if (pane.cols < text.length * GLYPH_ADVANCE || pane.rows < 6) {
      if (pane.cols >= text.length && pane.rows > 0) putClipped(grid, centreX - Math.floor(text.length / 2), centreY, text, CLOCK_COLOUR, clip);
      return;
    }
    paintBigText(grid, centreX - 3 * text.length, centreY - 3, text, CLOCK_COLOUR, clip);
  }
}
