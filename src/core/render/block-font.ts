/**
 * The 5×5 block font of tmux's big characters: display-panes' pane numbers and clock-mode's
 * time. A glyph is drawn as cells of background colour where its pattern has `#`, one column
 * apart from the next glyph.
 *
 * Invariants: every glyph is 5 rows of 5 characters; characters without a glyph draw nothing.
 */
import type { ScreenGrid } from './screen-grid.js';

export const GLYPH_SIZE = 5;
/** A glyph and the gap after it. */
export const GLYPH_ADVANCE = 6;

const GLYPHS: Readonly<Record<string, readonly string[]>> = {
  '0': ['#####', '#...#', '#...#', '#...#', '#####'],
  '1': ['....#', '....#', '....#', '....#', '....#'],
  '2': ['#####', '....#', '#####', '#....', '#####'],
  '3': ['#####', '....#', '#####', '....#', '#####'],
  '4': ['#...#', '#...#', '#####', '....#', '....#'],
  '5': ['#####', '#....', '#####', '....#', '#####'],
  '6': ['#####', '#....', '#####', '#...#', '#####'],
  '7': ['#####', '....#', '....#', '....#', '....#'],
  '8': ['#####', '#...#', '#####', '#...#', '#####'],
  '9': ['#####', '#...#', '#####', '....#', '#####'],
  ':': ['.....', '..#..', '.....', '..#..', '.....'],
};

/** The area big text may cover: cells at or beyond (x1, y1) are left alone. */
export interface Clip {
  x1: number;
  y1: number;
}

/** Draws `text` in big glyphs from (x, y), filled cells in background colour `bg`. */
export function paintBigText(grid: ScreenGrid, x: number, y: number, text: string, bg: number, clip: Clip): void {
  for (const ch of text) {
    const glyph = GLYPHS[ch];
    for (let r = 0; glyph !== undefined && r < GLYPH_SIZE; r++) {
      for (let c = 0; c < GLYPH_SIZE; c++) {
        if (glyph[r]![c] === '#') putClipped(grid, x + c, y + r, ' ', 0, clip, bg);
      }
    }
    x += GLYPH_ADVANCE;
  }
}

/** Writes `text` (ASCII) from x on row y in fg/bg, cell by cell, inside `clip`. */
export function putClipped(grid: ScreenGrid, x: number, y: number, text: string, fg: number, clip: Clip, bg = 0): void {
  if (y < 0 || y >= clip.y1) return;
  for (let i = 0; i < text.length; i++) {
    if (x + i >= 0 && x + i < clip.x1) grid.put(x + i, y, text.charCodeAt(i), 1, fg, bg, 0);
  }
}
