/**
 * Turns the difference between what a viewer's terminal shows (`front`) and what it should show
 * (`back`) into escape sequences.
 *
 * Output of a frame with changed cells:
 *   ESC[?2026h  [ESC[?25l]  [scroll]  (CUP + SGR-when-changed + text) per changed run …  CUP  [ESC[?25h]  ESC[?2026l
 * where scroll, when rows of the window area moved up (scroll-detector.ts), is
 *   SGR reset  DECSTBM top;bottom  CUP bottom  LF × lines  DECSTBM reset
 * so scrolling output costs its new lines rather than a whole screen.
 * Runs separated by at most GAP unchanged cells are merged (rewriting a few cells is cheaper than
 * a CUP); a changed tail of blank default cells becomes EL. Wide characters are written once and
 * their continuation cell skipped. A frame with only a cursor change is just CUP / ?25.
 *
 * Invariants: the viewer runs with autowrap off (?7l), so writing the last column never scrolls
 * and leaves the cursor position unknown (the next run gets a CUP). SGR state is assumed unknown
 * at the start of every frame (first SGR is a full reset), so foreign output between frames is
 * harmless. The encoder never changes `back`; it scrolls `front` the way the scroll it emits
 * scrolls the viewer's screen, so `front` goes on describing that screen.
 */
import {
  ATTR_BLINK, ATTR_BOLD, ATTR_DIM, ATTR_INVERSE, ATTR_INVISIBLE, ATTR_ITALIC, ATTR_OVERLINE,
  ATTR_STRIKETHROUGH, ATTR_UNDERLINE, COLOR_MODE_MASK, COLOR_P16, COLOR_P256, COLOR_VALUE_MASK, ScreenGrid,
} from './screen-grid.js';
import type { CursorPos } from './pane-painter.js';
import { ScrollDetector } from './scroll-detector.js';

const ESC = '\x1b[';
const GAP = 3;

const ATTR_CODES: readonly (readonly [number, string])[] = [
  [ATTR_BOLD, '1'], [ATTR_DIM, '2'], [ATTR_ITALIC, '3'], [ATTR_UNDERLINE, '4'], [ATTR_BLINK, '5'],
  [ATTR_INVERSE, '7'], [ATTR_INVISIBLE, '8'], [ATTR_STRIKETHROUGH, '9'], [ATTR_OVERLINE, '53'],
];

/** SGR parameters for a colour; `base` is 30 (fg) or 40 (bg). */
export function colorParams(color: number, base: 30 | 40): string {
  const mode = color & COLOR_MODE_MASK;
  const v = color & COLOR_VALUE_MASK;
  if (mode === 0) return String(base + 9);
  if (mode === COLOR_P16) return String(v < 8 ? base + v : base + 60 + v - 8);
  if (mode === COLOR_P256) return `${base + 8};5;${v}`;
  return `${base + 8};2;${(v >> 16) & 0xff};${(v >> 8) & 0xff};${v & 0xff}`;
}

/** How many of the first `rows` rows are marked. */
function markedRows(marks: Uint8Array, rows: number): number {
  let count = 0;
  for (let y = 0; y < rows && y < marks.length; y++) if (marks[y] !== 0) count++;
  return count;
}

function attrParams(attrs: number): string {
  let s = '';
  for (const [bit, code] of ATTR_CODES) if (attrs & bit) s += `;${code}`;
  return s;
}

/**
 * The pieces (cells, sequences) of the frame being encoded, joined once at the end: appending one
 * cell at a time to a string allocates an intermediate string per cell, a steady stream of
 * garbage at a thousand frames a second. One array serves every encoder, since encode() runs to
 * completion without yielding; it keeps its capacity (so it is not regrown for every frame) up to
 * MAX_KEPT_PIECES.
 */
const MAX_KEPT_PIECES = 1 << 16;
const framePieces = {
  parts: [] as string[],
  count: 0,
  /** Drops whatever an interrupted frame left. */
  start(): void {
    this.count = 0;
  },
  put(piece: string): void {
    this.parts[this.count++] = piece;
  },
  /** The pieces put since start(), as one string ('' for none). */
  take(): string {
    if (this.count === 0) return '';
    const parts = this.parts;
    parts.length = this.count;
    this.count = 0;
    const frame = parts.join('');
    if (parts.length > MAX_KEPT_PIECES) parts.length = 0;
    return frame;
  },
};

export class FrameEncoder {
  /** Viewer cursor position as far as we know; -1 = unknown. */
  private curX = -1;
  private curY = -1;
  /** Viewer cursor visibility; null = unknown. */
  private visible: boolean | null = null;
  /** Current SGR within a frame; sgrKnown false = must reset before the next cell. */
  private sgrKnown = false;
  private fg = 0;
  private bg = 0;
  private attrs = 0;
  private readonly scrolls = new ScrollDetector();

  /** Forget everything about the viewer's terminal (after attach, resize, invalidate). */
  reset(): void {
    this.curX = this.curY = -1;
    this.visible = null;
  }

  /**
   * Sequences that take the viewer from `front` to `back` and put the cursor where asked.
   * `full`: the viewer's screen content is unknown; it is cleared first and `front` must be blank.
   * `scrollRows`: rows 0..scrollRows-1 may be moved with a terminal scroll (the window area; the
   * status line below it stays). `changedRows`, when given, marks (non-zero) every row in which
   * `back` may differ from `front`; the others are not compared, and with fewer than two marked
   * rows in the window area no scroll is looked for (one changed row cannot have moved).
   * Returns '' when nothing changed.
   */
  encode(front: ScreenGrid, back: ScreenGrid, cursor: CursorPos, full: boolean, scrollRows = 0, changedRows: Uint8Array | null = null): string {
    framePieces.start();
    this.sgrKnown = false;
    let only = full ? null : changedRows;
    if (full) {
      this.put(`${ESC}0m${ESC}H${ESC}2J`);
      this.sgrKnown = true;
      this.fg = this.bg = this.attrs = 0;
      this.curX = this.curY = 0;
    } else if (scrollRows > 0 && (only === null || markedRows(only, scrollRows) >= 2)) {
      // A scroll moves rows of `front` that no mark covers.
      if (this.scroll(front, back, scrollRows)) only = null;
    }
    for (let y = 0; y < back.rows; y++) {
      if (only !== null && only[y] === 0) continue;
      if (!front.rowEquals(back, y)) this.encodeRow(front, back, y);
    }
    const body = this.take();
    let head = '';
    if (body !== '' && this.visible !== false) {
      head = `${ESC}?25l`;
      this.visible = false;
    }
    const tail = this.cursorTail(cursor, back);
    if (body === '') return tail;
    return `${ESC}?2026h${head}${body}${tail}${ESC}?2026l`;
  }

  /** Emits a scroll of the rows that moved up, and scrolls `front` the same way; false if none. */
  private scroll(front: ScreenGrid, back: ScreenGrid, rows: number): boolean {
    const found = this.scrolls.find(front, back, rows);
    if (found === null) return false;
    const { top, bottom, lines } = found;
    // Rows a scroll frees take the current background colour (BCE): reset to default first.
    if (!this.sgrKnown || this.fg !== 0 || this.bg !== 0 || this.attrs !== 0) this.put(`${ESC}0m`);
    this.sgrKnown = true;
    this.fg = this.bg = this.attrs = 0;
    this.put(`${ESC}${top + 1};${bottom + 1}r${cup(0, bottom)}${'\n'.repeat(lines)}${ESC}r`);
    this.curX = this.curY = -1; // DECSTBM homes the cursor
    front.scrollUp(top, bottom, lines);
    return true;
  }

  private cursorTail(cursor: CursorPos, back: ScreenGrid): string {
    const inside = cursor.x >= 0 && cursor.y >= 0 && cursor.x < back.cols && cursor.y < back.rows;
    if (!cursor.visible || !inside) {
      if (this.visible === false) return '';
      this.visible = false;
      return `${ESC}?25l`;
    }
    let s = '';
    if (this.curX !== cursor.x || this.curY !== cursor.y) {
      s = cup(cursor.x, cursor.y);
      this.curX = cursor.x;
      this.curY = cursor.y;
    }
    if (this.visible !== true) {
      s += `${ESC}?25h`;
      this.visible = true;
    }
    return s;
  }

  private encodeRow(front: ScreenGrid, back: ScreenGrid, y: number): void {
    const cols = back.cols;
    const base = y * cols;
    let blankFrom = cols;
    while (blankFrom > 0 && back.isBlank(base + blankFrom - 1)) blankFrom--;
    let x = 0;
    while (x < cols) {
      if (back.sameCell(front, base + x)) {
        x++;
        continue;
      }
      if (back.width(base + x) === 0 && x > 0 && back.width(base + x - 1) === 2) x--;
      if (x >= blankFrom) {
        this.moveTo(back, x, y);
        if (this.sgrKnown && this.fg === 0 && this.bg === 0 && this.attrs === 0) this.put(`${ESC}K`);
        else this.put(`${ESC}0m${ESC}K`);
        this.sgrKnown = true;
        this.fg = this.bg = this.attrs = 0;
        return;
      }
      this.moveTo(back, x, y);
      x += this.writeCell(back, base + x);
    }
  }

  private put(piece: string): void {
    framePieces.put(piece);
  }

  private take(): string {
    return framePieces.take();
  }

  /**
   * Places the cursor at x,y: nothing, rewriting a short gap of cells, or a CUP. Never rewrites
   * from the right half of a wide character (a cursor can stand there): a terminal erases the
   * whole character when either half is written.
   */
  private moveTo(back: ScreenGrid, x: number, y: number): void {
    const base = y * back.cols;
    if (this.curY === y && this.curX >= 0 && this.curX <= x && x - this.curX <= GAP && !this.onRightHalf(back, base)) {
      while (this.curX >= 0 && this.curX < x) this.writeCell(back, base + this.curX);
      if (this.curX === x) return;
    }
    this.put(cup(x, y));
    this.curX = x;
    this.curY = y;
  }

  /** Whether the cursor (on the row starting at cell `base`) stands on the right half of a wide character. */
  private onRightHalf(back: ScreenGrid, base: number): boolean {
    return this.curX > 0 && back.width(base + this.curX) === 0 && back.width(base + this.curX - 1) === 2;
  }

  /** Writes one cell (a wide one covers two columns); returns the columns advanced. */
  private writeCell(back: ScreenGrid, cell: number): number {
    const fg = back.fg(cell);
    const bg = back.bg(cell);
    const attrs = back.attrs(cell);
    if (!this.sgrKnown || fg !== this.fg || bg !== this.bg || attrs !== this.attrs) this.sgr(fg, bg, attrs);
    let w = back.width(cell);
    if (w === 0) {
      this.put(' ');
      w = 1;
    } else {
      this.put(back.chars(cell));
    }
    this.curX += w;
    if (this.curX >= back.cols) this.curX = -1;
    return w;
  }

  private sgr(fg: number, bg: number, attrs: number): void {
    let p: string;
    if (!this.sgrKnown || (this.attrs & ~attrs) !== 0) {
      p = `0${attrParams(attrs)}`;
      if (fg !== 0) p += `;${colorParams(fg, 30)}`;
      if (bg !== 0) p += `;${colorParams(bg, 40)}`;
    } else {
      p = attrParams(attrs & ~this.attrs);
      if (fg !== this.fg) p += `;${colorParams(fg, 30)}`;
      if (bg !== this.bg) p += `;${colorParams(bg, 40)}`;
      p = p.slice(1);
    }
    this.put(`${ESC}${p}m`);
    this.sgrKnown = true;
    this.fg = fg;
    this.bg = bg;
    this.attrs = attrs;
  }
}

/**
 * Cursor positions are the most frequent sequence in a frame (one per changed run of cells), so
 * the strings are made once and shared by every viewer: at most CUP_CACHE_COLS × CUP_CACHE_ROWS
 * short strings, created on first use; positions beyond are built each time.
 */
const CUP_CACHE_COLS = 256;
const CUP_CACHE_ROWS = 128;
let cupCache: (string | null)[] | null = null;

function cup(x: number, y: number): string {
  if (x >= CUP_CACHE_COLS || y >= CUP_CACHE_ROWS) return cupSequence(x, y);
  const cache = (cupCache ??= new Array<string | null>(CUP_CACHE_COLS * CUP_CACHE_ROWS).fill(null));
  const index = y * CUP_CACHE_COLS + x;
  return (cache[index] ??= cupSequence(x, y));
}

function cupSequence(x: number, y: number): string {
  return x === 0 ? `${ESC}${y + 1}H` : `${ESC}${y + 1};${x + 1}H`;
}
