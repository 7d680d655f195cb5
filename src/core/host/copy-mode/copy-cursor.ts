/**
 * Copy-mode position and selection with tmux 2.x's movement rules (window-copy in tmate 2.4.0):
 * the view offset `oy` (lines scrolled up from the live bottom), the copy cursor (cx, cy) inside
 * the view, the remembered column for vertical moves (lastcx/lastsx), and the selection anchor
 * stored as an absolute line (0 = oldest history line), as tmux keeps it.
 *
 * Invariants after every public method: 0 <= oy <= history, 0 <= cy < rows, 0 <= cx <= cols
 * (cx == cols is tmux's "past the end" position, drawn as `$`). Loops that walk lines always make
 * progress or stop, so no key can hang or recurse without bound.
 */
import type { CopyGrid } from './copy-grid.js';

/** tmux's line-selection flag: none, or select-line's direction (cursor at the right or left). */
export type LineSelection = 'none' | 'left-right' | 'right-left';

export class CopyCursor {
  oy = 0;
  cx = 0;
  cy = 0;
  lastcx = 0;
  lastsx = 0;
  selecting = false;
  selx = 0;
  /** Absolute line of the selection anchor. */
  sely = 0;
  rect = false;
  lineSel: LineSelection = 'none';
  private rows: number;
  private cols: number;

  constructor(readonly grid: CopyGrid) {
    this.rows = grid.rows;
    this.cols = grid.cols;
    const { x, y } = grid.cursor();
    this.cx = clamp(x, 0, this.cols);
    this.cy = clamp(y, 0, this.rows - 1);
  }

  /** Absolute line of the copy cursor. */
  abs(): number {
    return this.grid.history + this.cy - this.oy;
  }

  /**
   * Re-applies the invariants after the pane changed under us: a resize clamps the position and
   * drops the selection (as tmux does); a shrunk history clamps the offset.
   */
  sync(): void {
    const { rows, cols, history } = this.grid;
    if (rows !== this.rows || cols !== this.cols) {
      this.rows = rows;
      this.cols = cols;
      this.clearSelection();
    }
    this.oy = clamp(this.oy, 0, history);
    this.cy = clamp(this.cy, 0, rows - 1);
    this.cx = clamp(this.cx, 0, cols);
    this.sely = clamp(this.sely, 0, history + rows - 1);
  }

  // --- plain line steps (no column logic) -----------------------------------------------------

  /** Moves the cursor one line up, scrolling the view at the top; false at the first line. */
  private stepUp(): boolean {
    if (this.cy > 0) this.cy--;
    else if (this.oy < this.grid.history) this.oy++;
    else return false;
    return true;
  }

  /** Moves the cursor one line down, scrolling the view at the bottom; false at the last line. */
  private stepDown(): boolean {
    if (this.cy < this.rows - 1) this.cy++;
    else if (this.oy > 0) this.oy--;
    else return false;
    return true;
  }

  // --- horizontal -----------------------------------------------------------------------------

  startOfLine(): void {
    if (this.cx === 0 && this.lineSel === 'none') {
      while (this.abs() > 0 && this.grid.wrapped(this.abs() - 1) && this.stepUp()) { /* walk */ }
    }
    this.cx = 0;
  }

  backToIndentation(): void {
    const py = this.abs();
    const len = this.grid.length(py);
    let px = 0;
    while (px < len && this.grid.charAt(px, py) === ' ') px++;
    this.cx = px;
  }

  endOfLine(): void {
    let py = this.abs();
    let px = this.grid.length(py);
    if (this.cx === px && this.lineSel === 'none') {
      if (this.selecting && this.rect) px = this.cols;
      if (this.grid.wrapped(py)) {
        while (this.grid.wrapped(py) && this.stepDown()) py = this.abs();
        px = this.grid.length(py);
      }
    }
    this.cx = px;
  }

  left(): void {
    if (this.cx === 0 && this.abs() > 0) {
      this.up(false);
      this.endOfLine();
    } else if (this.cx > 0) {
      this.cx--;
    }
  }

  right(): void {
    const py = this.abs();
    const last = this.grid.history + this.rows - 1;
    const px = this.selecting && this.rect ? this.cols : this.grid.length(py);
    if (this.cx >= px && py < last) {
      this.cx = 0;
      this.down(false);
    } else if (this.cx < px) {
      this.cx++;
    }
  }

  // --- vertical -------------------------------------------------------------------------------

  /** Remembers the column before a vertical move, the way tmux keeps lastcx/lastsx. */
  private rememberColumn(): number {
    const py = this.abs();
    const len = this.grid.length(py);
    if (this.cx !== len) {
      this.lastcx = this.cx;
      this.lastsx = len;
    }
    return py;
  }

  /** After a vertical move: snap to the end of a shorter line, or back to the remembered end. */
  private fixColumn(): void {
    if (!this.selecting || !this.rect) {
      const len = this.grid.length(this.abs());
      if ((this.cx >= this.lastsx && this.cx !== len) || this.cx > len) this.endOfLine();
    }
    if (this.lineSel === 'left-right') this.endOfLine();
    else if (this.lineSel === 'right-left') this.startOfLine();
  }

  /** Cursor up one line (`scrollOnly`: scroll the view down by one, cursor row unchanged). */
  up(scrollOnly: boolean): void {
    const py = this.rememberColumn();
    if (this.lineSel === 'left-right' && py === this.sely) this.otherEnd();
    this.cx = this.lastcx;
    if (scrollOnly || this.cy === 0) this.scrollBack(1);
    else this.cy--;
    this.fixColumn();
  }

  /** Cursor down one line (`scrollOnly`: scroll the view up by one, cursor row unchanged). */
  down(scrollOnly: boolean): void {
    const py = this.rememberColumn();
    if (this.lineSel === 'right-left' && py === this.sely) this.otherEnd();
    this.cx = this.lastcx;
    if (scrollOnly || this.cy === this.rows - 1) this.scrollForward(1);
    else this.cy++;
    this.fixColumn();
  }

  /** Page up (`up`) or down: rows - 2 lines, keeping the remembered column. */
  page(up: boolean): void {
    const py = this.abs();
    const len = this.grid.length(py);
    const flag = up ? 'left-right' : 'right-left';
    if (this.lineSel === flag && py === this.sely) this.otherEnd();
    if (this.cx !== len) {
      this.lastcx = this.cx;
      this.lastsx = len;
    }
    this.cx = this.lastcx;
    const n = this.rows > 2 ? this.rows - 2 : 1;
    if (up) this.scrollBack(n);
    else this.scrollForward(n);
    if (!this.selecting || !this.rect) {
      const now = this.grid.length(this.abs());
      if ((this.cx >= this.lastsx && this.cx !== now) || this.cx > now) this.endOfLine();
    }
  }

  halfPage(up: boolean): void {
    const n = Math.floor(this.rows / 2);
    if (up) this.scrollBack(n);
    else this.scrollForward(n);
  }

  /** View up by n lines (towards older history); the cursor keeps its row. */
  scrollBack(n: number): void {
    this.oy = Math.min(this.oy + n, this.grid.history);
  }

  /** View down by n lines (towards the live bottom); the cursor keeps its row. */
  scrollForward(n: number): void {
    this.oy = Math.max(this.oy - n, 0);
  }

  /** Cursor to column 0 of a view row: 'top', 'middle' or 'bottom'. */
  toRow(where: 'top' | 'middle' | 'bottom'): void {
    this.cx = 0;
    this.cy = where === 'top' ? 0 : where === 'middle' ? Math.floor((this.rows - 1) / 2) : this.rows - 1;
  }

  historyTop(): void {
    this.cx = 0;
    this.cy = 0;
    this.oy = this.grid.history;
  }

  historyBottom(): void {
    this.cx = 0;
    this.cy = this.rows - 1;
    this.oy = 0;
  }

  /** Puts the cursor on (px, absolute line py), scrolling so it sits a quarter from the bottom. */
  scrollTo(px: number, py: number): void {
    const history = this.grid.history;
    const rows = this.rows;
    const gap = Math.floor(rows / 4);
    let top: number;
    if (py < rows) top = 0;
    else if (py > history + rows - gap) top = history;
    else top = py + gap - rows;
    top = clamp(top, Math.max(0, py - rows + 1), Math.min(history, py));
    this.cx = clamp(px, 0, this.cols);
    this.cy = py - top;
    this.oy = history - top;
  }

  // --- selection ------------------------------------------------------------------------------

  startSelection(): void {
    this.selx = this.cx;
    this.sely = this.abs();
    this.selecting = true;
  }

  clearSelection(): void {
    this.selecting = false;
    this.lineSel = 'none';
    this.clampToLine();
  }

  toggleRectangle(): void {
    this.lineSel = 'none';
    this.rect = !this.rect;
    this.clampToLine();
  }

  /** Swaps the cursor and the selection anchor, scrolling to show the new cursor. */
  otherEnd(): void {
    if (!this.selecting && this.lineSel === 'none') return;
    if (this.lineSel === 'left-right') this.lineSel = 'right-left';
    else if (this.lineSel === 'right-left') this.lineSel = 'left-right';
    const history = this.grid.history;
    const [selx, sely] = [this.selx, this.sely];
    this.selx = this.cx;
    this.sely = this.abs();
    this.cx = selx;
    const top = history - this.oy;
    if (sely < top) {
      this.oy = history - sely;
      this.cy = 0;
    } else if (sely > top + this.rows - 1) {
      this.oy = clamp(history - sely + this.rows - 1, 0, history);
      this.cy = this.rows - 1;
    } else {
      this.cy = sely - top;
    }
  }

  /** tmux pulls the cursor back to the end of the text when a selection is cleared or toggled. */
  private clampToLine(): void {
    const len = this.grid.length(this.abs());
    if (this.cx > len) this.cx = len;
  }

  // --- output ---------------------------------------------------------------------------------

  /**
   * The pane printed: `scrolled` lines moved into history, of which `trimmed` pushed the oldest
   * lines out. The view follows its content (capped at the top of history); absolute lines shift
   * down by the number trimmed.
   */
  followOutput(scrolled: number, trimmed: number): void {
    this.oy = Math.min(this.oy + scrolled, this.grid.history);
    this.sely = Math.max(0, this.sely - trimmed);
  }
}

export function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
