/**
 * The text of a copy-mode selection, as tmux 2.x copies it: from the anchor to the copy cursor in
 * either order; emacs keys leave out the character under the end position, vi keys include it;
 * trailing spaces of each line are dropped; a line wrapped at the pane edge joins the next without
 * a newline; a rectangle copies the same columns of every line.
 *
 * Invariants: pure reads; returns null when nothing would be copied (no selection or no text).
 */
import type { CopyCursor } from './copy-cursor.js';
import type { CopyGrid } from './copy-grid.js';

interface Span {
  sy: number;
  ey: number;
  /** Start column of the first line and of the others; end column (exclusive) of the last line and of the others. */
  firstSx: number;
  restSx: number;
  lastEx: number;
  restEx: number;
}

/** One line's part of the selection, with the newline tmux adds after it. */
function copyLine(grid: CopyGrid, y: number, sx: number, ex: number): string {
  if (sx > ex) return '';
  const wrapped = grid.wrapped(y);
  const len = wrapped ? grid.cols : grid.length(y);
  const end = Math.min(ex, len);
  const start = Math.min(sx, len);
  const text = start < end ? grid.text(y, start, end) : '';
  return !wrapped || end !== len ? `${text}\n` : text;
}

function spanOf(cur: CopyCursor, vi: boolean): Span {
  const cy = cur.abs();
  const before = cy < cur.sely || (cy === cur.sely && cur.cx < cur.selx);
  const [sx, sy, ex0, ey] = before ? [cur.cx, cy, cur.selx, cur.sely] : [cur.selx, cur.sely, cur.cx, cy];
  const ex = Math.min(ex0, cur.grid.length(ey));
  const inclusive = vi ? 1 : 0;
  if (!cur.rect) {
    return { sy, ey, firstSx: sx, restSx: 0, lastEx: ex + inclusive, restEx: cur.grid.cols };
  }
  if (cur.selx < cur.cx) {
    const right = cur.cx + inclusive;
    return { sy, ey, firstSx: cur.selx, restSx: cur.selx, lastEx: right, restEx: right };
  }
  const right = cur.selx + 1;
  return { sy, ey, firstSx: cur.cx, restSx: cur.cx, lastEx: right, restEx: right };
}

/** The selected text, or null. `vi` selects vi's inclusive end. */
export function selectionText(cur: CopyCursor, vi: boolean): string | null {
  if (!cur.selecting && cur.lineSel === 'none') return null;
  const span = spanOf(cur, vi);
  let out = '';
  for (let y = span.sy; y <= span.ey; y++) {
    const sx = y === span.sy ? span.firstSx : span.restSx;
    const ex = y === span.ey ? span.lastEx : span.restEx;
    out += copyLine(cur.grid, y, sx, ex);
  }
  if (out === '') return null;
  const keepNewline = vi && span.lastEx > cur.grid.length(span.ey);
  if (!keepNewline && out.endsWith('\n')) out = out.slice(0, -1);
  return out === '' ? null : out;
}
