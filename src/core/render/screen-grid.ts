/**
 * A compact cell grid: what one viewer's terminal shows (or should show), cols×rows.
 *
 * Each cell is three 32-bit words in one Uint32Array (no per-cell objects):
 *   word 0  content: bits 0–20 code point (or an index into `extras` when EXTRA is set, for
 *           clusters of several code points such as `é` + combining accent), bits 22–23 width
 *   word 1  fg colour (bits 0–25, same encoding as xterm: mode | value) | attrs bits 0–5 << 26
 *   word 2  bg colour (bits 0–25) | attrs bits 6–8 << 26
 * Colours: 0 = default, COLOR_P16 | 0–15, COLOR_P256 | 0–255, COLOR_RGB | 0xRRGGBB.
 *
 * Invariants: a width-2 cell is always followed by a width-0 continuation cell carrying the same
 * style, never sits in the last column, and a continuation never appears without its lead (put()
 * repairs whatever it overwrites). A cleared cell is a space of width 1 in default style. Cells
 * change only through the methods here (`data` is for reading), each of which bumps `version`.
 */
import { codePointWidth } from './text-width.js';

export const ATTR_BOLD = 1;
export const ATTR_DIM = 2;
export const ATTR_ITALIC = 4;
export const ATTR_UNDERLINE = 8;
export const ATTR_BLINK = 16;
export const ATTR_INVERSE = 32;
export const ATTR_INVISIBLE = 64;
export const ATTR_STRIKETHROUGH = 128;
export const ATTR_OVERLINE = 256;

export const COLOR_DEFAULT = 0;
export const COLOR_P16 = 0x1000000;
export const COLOR_P256 = 0x2000000;
export const COLOR_RGB = 0x3000000;
export const COLOR_MODE_MASK = 0x3000000;
export const COLOR_VALUE_MASK = 0xffffff;

const COLOR_MASK = 0x3ffffff;
const CP_MASK = 0x1fffff;
const EXTRA = 0x200000;
const WIDTH_SHIFT = 22;
const SPACE = 0x20;
/** Content word of a blank cell: a space of width 1. */
const BLANK = SPACE | (1 << WIDTH_SHIFT);

/** ANSI palette indices used by the tmux-like chrome. */
export const BLACK = COLOR_P16 | 0;
export const GREEN = COLOR_P16 | 2;
export const YELLOW = COLOR_P16 | 3;

/** U+200D ZERO WIDTH JOINER. */
const ZWJ = '\u200d';

export class ScreenGrid {
  readonly data: Uint32Array;
  /** Strings of multi-code-point cells; reset by clear(). */
  private extras: string[] = [];
  /** Bumped by every change of a cell, so a cache of row hashes can tell it is still valid. */
  private revision = 0;

  constructor(
    readonly cols: number,
    readonly rows: number,
  ) {
    this.data = new Uint32Array(Math.max(0, cols * rows * 3));
    this.clear();
  }

  /** Changes with every change of a cell (writes, clear, scroll). */
  get version(): number {
    return this.revision;
  }

  /** Every cell becomes a default-style space. */
  clear(): void {
    this.revision++;
    const d = this.data;
    const rowLen = this.cols * 3;
    if (rowLen === 0 || this.rows === 0) return;
    for (let i = 0; i < rowLen; i += 3) {
      d[i] = BLANK;
      d[i + 1] = 0;
      d[i + 2] = 0;
    }
    for (let y = 1; y < this.rows; y++) d.copyWithin(y * rowLen, 0, rowLen);
    this.extras.length = 0;
  }

  /** Becomes a copy of `other` (same size assumed), cells and clusters. */
  copyFrom(other: ScreenGrid): void {
    this.revision++;
    this.data.set(other.data);
    if (other.extras.length === 0) this.extras.length = 0;
    else this.extras = other.extras.slice();
  }

  /** How many multi-code-point clusters the grid holds (they are dropped only by clear()). */
  get clusterCount(): number {
    return this.extras.length;
  }

  /**
   * Columns [x0, x1) of row y become default-style spaces. A wide character cut by either edge
   * loses its other half the way put() repairs it (the half outside becomes a space).
   */
  clearSpan(y: number, x0: number, x1: number): void {
    const from = Math.max(0, x0);
    const to = Math.min(x1, this.cols);
    if (y < 0 || y >= this.rows || from >= to) return;
    this.revision++;
    const d = this.data;
    const row = y * this.cols;
    if (from > 0 && d[(row + from) * 3]! >>> WIDTH_SHIFT === 0) d[(row + from - 1) * 3] = BLANK;
    if (to < this.cols && d[(row + to) * 3]! >>> WIDTH_SHIFT === 0) d[(row + to) * 3] = BLANK;
    for (let i = (row + from) * 3; i < (row + to) * 3; i += 3) {
      d[i] = BLANK;
      d[i + 1] = 0;
      d[i + 2] = 0;
    }
  }

  /** Writes one character (a single code point) of width 1 or 2 at x,y; out of range is ignored. */
  put(x: number, y: number, cp: number, width: number, fg: number, bg: number, attrs: number): void {
    if (x < 0 || y < 0 || x >= this.cols || y >= this.rows) return;
    this.store(x, y, cp & CP_MASK, width, fg, bg, attrs);
  }

  /** Writes a cluster as given by an emulator cell (may be several code points, or '' = space). */
  putChars(x: number, y: number, chars: string, width: number, fg: number, bg: number, attrs: number): void {
    if (x < 0 || y < 0 || x >= this.cols || y >= this.rows) return;
    // A zero-width joiner makes a viewer's terminal draw one glyph (👨‍👩‍👧) where the emulator laid
    // out one per person, and the rest of the row would shift: dropped, as tmux 2.4 drops it.
    if (chars.length > 2 && chars.includes(ZWJ)) chars = chars.replaceAll(ZWJ, '');
    const len = chars.length;
    let content: number;
    if (len === 0) content = SPACE;
    else if (len === 1) content = chars.charCodeAt(0);
    else {
      const cp = chars.codePointAt(0)!;
      if (len === 2 && cp > 0xffff) content = cp;
      else {
        content = EXTRA | this.extras.length;
        this.extras.push(chars);
      }
    }
    this.store(x, y, content, width, fg, bg, attrs);
  }

  /**
   * Lays out plain text from x on row y, stopping before column `limit`. Controls become `?`,
   * combining marks join the previous cell, a wide character that would cross `limit` becomes a
   * space. Returns the column after the last cell written.
   */
  putText(x: number, y: number, text: string, limit: number, fg: number, bg: number, attrs: number): number {
    const end = Math.min(limit, this.cols);
    let prev = -1;
    for (let i = 0; i < text.length && x < end; i++) {
      let cp = text.codePointAt(i)!;
      if (cp > 0xffff) i++;
      let w: number = codePointWidth(cp);
      if (w === 0) {
        if (prev >= 0) this.appendToCell(prev, y, String.fromCodePoint(cp));
        continue;
      }
      if (w < 0) {
        cp = 0x3f;
        w = 1;
      }
      if (w === 2 && x + 1 >= end) {
        cp = SPACE;
        w = 1;
      }
      this.put(x, y, cp, w, fg, bg, attrs);
      prev = x;
      x += w;
    }
    return x;
  }

  /** Fills columns [x0, x1) of row y with one narrow character. */
  fill(x0: number, x1: number, y: number, cp: number, fg: number, bg: number, attrs: number): void {
    const end = Math.min(x1, this.cols);
    for (let x = Math.max(0, x0); x < end; x++) this.put(x, y, cp, 1, fg, bg, attrs);
  }

  /** Changes the style of the cell at x,y (and of its continuation), keeping its character. */
  restyle(x: number, y: number, fg: number, bg: number, attrs: number): void {
    if (x < 0 || y < 0 || x >= this.cols || y >= this.rows) return;
    this.revision++;
    let i = (y * this.cols + x) * 3;
    if (this.data[i]! >>> WIDTH_SHIFT === 0 && x > 0) {
      i -= 3;
      x--;
    }
    const w1 = (fg & COLOR_MASK) | ((attrs & 0x3f) << 26);
    const w2 = (bg & COLOR_MASK) | ((attrs >> 6) << 26);
    this.data[i + 1] = w1;
    this.data[i + 2] = w2;
    if ((this.data[i]! >>> WIDTH_SHIFT) === 2 && x + 1 < this.cols) {
      this.data[i + 4] = w1;
      this.data[i + 5] = w2;
    }
  }

  width(cell: number): number {
    return this.data[cell * 3]! >>> WIDTH_SHIFT;
  }

  fg(cell: number): number {
    return this.data[cell * 3 + 1]! & COLOR_MASK;
  }

  bg(cell: number): number {
    return this.data[cell * 3 + 2]! & COLOR_MASK;
  }

  attrs(cell: number): number {
    return (this.data[cell * 3 + 1]! >>> 26) | ((this.data[cell * 3 + 2]! >>> 26) << 6);
  }

  /** The text of a cell ('' for a continuation cell). */
  chars(cell: number): string {
    const c = this.data[cell * 3]!;
    if (c >>> WIDTH_SHIFT === 0) return '';
    if (c & EXTRA) return this.extras[c & (EXTRA - 1)] ?? ' ';
    return String.fromCodePoint(c & CP_MASK);
  }

  /** The cell's one code point; -1 for a continuation cell or a cluster of several (see chars()). */
  codePoint(cell: number): number {
    const c = this.data[cell * 3]!;
    if (c >>> WIDTH_SHIFT === 0 || c & EXTRA) return -1;
    return c & CP_MASK;
  }

  /** True when the cell is a default-style space. */
  isBlank(cell: number): boolean {
    const i = cell * 3;
    return this.data[i] === BLANK && this.data[i + 1] === 0 && this.data[i + 2] === 0;
  }

  /** Whether cell `cell` shows the same thing here and in `other` (same size assumed). */
  sameCell(other: ScreenGrid, cell: number): boolean {
    return this.sameCellAt(other, cell, cell);
  }

  /** Whether row y here shows the same thing as row `otherY` (default y) of `other` (same width assumed). */
  rowEquals(other: ScreenGrid, y: number, otherY = y): boolean {
    return this.rowDiffCount(other, y, otherY, 1) === 0;
  }

  /**
   * How many cells of row y here differ from row `otherY` of `other` (same width assumed),
   * counting no further than `stopAt`.
   */
  rowDiffCount(other: ScreenGrid, y: number, otherY: number, stopAt = Infinity): number {
    const a = this.data;
    const b = other.data;
    let count = 0;
    const rowLen = this.cols * 3;
    const shift = (otherY - y) * rowLen;
    const end = (y + 1) * rowLen;
    for (let i = y * rowLen; i < end && count < stopAt; i += 3) {
      const c = a[i]!;
      const j = i + shift;
      if (c !== b[j] || a[i + 1] !== b[j + 1] || a[i + 2] !== b[j + 2] || (c & EXTRA) !== 0) {
        if (!this.sameCellAt(other, i / 3, j / 3)) count++;
      }
    }
    return count;
  }

  /** How many cells of row y are not default-style spaces. */
  rowInk(y: number): number {
    const d = this.data;
    let count = 0;
    const end = (y + 1) * this.cols * 3;
    for (let i = y * this.cols * 3; i < end; i += 3) {
      if (d[i] !== BLANK || d[i + 1] !== 0 || d[i + 2] !== 0) count++;
    }
    return count;
  }

  /**
   * A hash of row y's characters (not their style): rows that are equal hash equal, except that
   * clusters of several code points hash by their slot. Cheap enough to run on every row of every
   * frame; callers verify candidates with rowEquals().
   */
  rowHash(y: number): number {
    const d = this.data;
    const end = (y + 1) * this.cols * 3;
    let h = 0x811c9dc5;
    for (let i = y * this.cols * 3; i < end; i += 3) h = Math.imul(h ^ d[i]!, 0x01000193);
    return h;
  }

  /**
   * What a terminal does for a scroll up by `lines` inside the region rows top..bottom: rows
   * top+lines..bottom move up to top, the rows freed at the bottom become blank.
   */
  scrollUp(top: number, bottom: number, lines: number): void {
    this.revision++;
    const rowLen = this.cols * 3;
    const n = Math.min(lines, bottom - top + 1);
    this.data.copyWithin(top * rowLen, (top + n) * rowLen, (bottom + 1) * rowLen);
    for (let i = (bottom + 1 - n) * rowLen; i < (bottom + 1) * rowLen; i += 3) {
      this.data[i] = BLANK;
      this.data[i + 1] = 0;
      this.data[i + 2] = 0;
    }
  }

  /** Whether cell `cell` here shows the same thing as cell `otherCell` of `other`. */
  private sameCellAt(other: ScreenGrid, cell: number, otherCell: number): boolean {
    const a = this.data;
    const b = other.data;
    const i = cell * 3;
    const j = otherCell * 3;
    if (a[i + 1] !== b[j + 1] || a[i + 2] !== b[j + 2]) return false;
    const ca = a[i]!;
    const cb = b[j]!;
    if ((ca & EXTRA) === 0 && (cb & EXTRA) === 0) return ca === cb;
    return (ca >>> WIDTH_SHIFT) === (cb >>> WIDTH_SHIFT) && this.chars(cell) === other.chars(otherCell);
  }

  private store(x: number, y: number, content: number, width: number, fg: number, bg: number, attrs: number): void {
    this.revision++;
    const d = this.data;
    const i = (y * this.cols + x) * 3;
    const old = d[i]! >>> WIDTH_SHIFT;
    if (old === 0 && x > 0) d[i - 3] = BLANK;
    else if (old === 2 && x + 1 < this.cols) d[i + 3] = BLANK;
    if (width === 2 && x + 1 >= this.cols) {
      content = SPACE;
      width = 1;
    }
    const w1 = (fg & COLOR_MASK) | ((attrs & 0x3f) << 26);
    const w2 = (bg & COLOR_MASK) | ((attrs >> 6) << 26);
    d[i] = content | (width << WIDTH_SHIFT);
    d[i + 1] = w1;
    d[i + 2] = w2;
    if (width === 2) {
      if (d[i + 3]! >>> WIDTH_SHIFT === 2 && x + 2 < this.cols) d[i + 6] = BLANK;
      d[i + 3] = 0;
      d[i + 4] = w1;
      d[i + 5] = w2;
    }
  }

  private appendToCell(x: number, y: number, mark: string): void {
    this.revision++;
    const i = (y * this.cols + x) * 3;
    const c = this.data[i]!;
    const text = this.chars(y * this.cols + x) + mark;
    this.data[i] = EXTRA | this.extras.length | (c & (3 << WIDTH_SHIFT));
    this.extras.push(text);
  }
}
