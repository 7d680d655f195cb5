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
 * harmless. Colours are written within the viewer's colour depth (colour-depth.ts: 24-bit colour
 * becomes the nearest palette entry for a 256-colour terminal, and so on). The encoder never
 * changes `back`; it scrolls `front` the way the scroll it emits scrolls the viewer's screen, so
 * `front` goes on describing that screen.
 */
import {
  ATTR_BLINK, ATTR_BOLD, ATTR_DIM, ATTR_INVERSE, ATTR_INVISIBLE, ATTR_ITALIC, ATTR_OVERLINE,
  ATTR_STRIKETHROUGH, ATTR_UNDERLINE, COLOR_MODE_MASK, COLOR_P16, COLOR_P256, COLOR_VALUE_MASK, ScreenGrid,
} from './screen-grid.js';
import type { CursorPos } from './pane-painter.js';
import { ScrollDetector } from './scroll-detector.js';
import { brightLost, type ColourDepth, reduceColour } from './colour-depth.js';

const ESC = '\x1b[';
const GAP = 3;

const ATTR_CODES: readonly (readonly [number, string])[] = [
  [ATTR_BOLD, '1'], [ATTR_DIM, '2'], [ATTR_ITALIC, '3'], [ATTR_UNDERLINE, '4'], [ATTR_BLINK, '5'],
  [ATTR_INVERSE, '7'], [ATTR_INVISIBLE, '8'], [ATTR_STRIKETHROUGH, '9'], [ATTR_OVERLINE, '53'],
];

/**
 * SGR parameters for a colour, written into the frame being encoded; `base` is 30 (fg) or 40 (bg).
 * Colours: 0 = default, COLOR_P16 | 0–15, COLOR_P256 | 0–255, COLOR_RGB | 0xRRGGBB.
 */
function putColorParams(color: number, base: 30 | 40): void {
  const mode = color & COLOR_MODE_MASK;
  const v = color & COLOR_VALUE_MASK;
  if (mode === 0) return frameBytes.putNumber(base + 9);
  if (mode === COLOR_P16) return frameBytes.putNumber(v < 8 ? base + v : base + 60 + v - 8);
  frameBytes.putNumber(base + 8);
  if (mode === COLOR_P256) {
    frameBytes.put(';5;');
    return frameBytes.putNumber(v);
  }
  frameBytes.put(';2;');
  frameBytes.putNumber((v >> 16) & 0xff);
  frameBytes.putCodePoint(0x3b);
  frameBytes.putNumber((v >> 8) & 0xff);
  frameBytes.putCodePoint(0x3b);
  frameBytes.putNumber(v & 0xff);
}

/** A cell's text other than one ASCII character (kept out of writeCell so that it stays small). */
function putCellText(back: ScreenGrid, cell: number): void {
  const cp = back.codePoint(cell);
  if (cp >= 0) frameBytes.putCodePoint(cp);
  else if (back.width(cell) === 0) frameBytes.putCodePoint(0x20);
  else frameBytes.put(back.chars(cell));
}

/** How many of the first `rows` rows are marked. */
function markedRows(marks: Uint8Array, rows: number): number {
  let count = 0;
  for (let y = 0; y < rows && y < marks.length; y++) if (marks[y] !== 0) count++;
  return count;
}

const INITIAL_BYTES = 16 * 1024;
/** Bytes kept free before a frame's body for its head, which is known only once the body is. */
const HEAD_ROOM = 16;
const SYNC_START = `${ESC}?2026h`;
const SYNC_START_HIDING_CURSOR = `${ESC}?2026h${ESC}?25l`;
const SYNC_END = `${ESC}?2026l`;
const RESET_SCROLL_REGION = `${ESC}r`;
const MAX_KEPT_BYTES = 1 << 20;
const REPLACEMENT = 0xfffd;
const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * The frame being encoded, as UTF-8 bytes in one reused buffer, decoded into a string once at the
 * end. Appending a cell at a time to a string allocates an intermediate string per cell, and
 * joining an array of pieces allocates an array of one slot per piece (one per cell): at a
 * thousand streamed frames a second the join alone was a fifth of everything the relay allocated
 * (docs/benchmarks.md). One buffer serves every encoder, since encode() runs to completion
 * without yielding; it keeps its size up to MAX_KEPT_BYTES. Bytes that are not valid UTF-8 cannot
 * arise: code points are encoded here, lone surrogates as U+FFFD (what encoding the string for
 * the wire made of them before). A class, not an object literal: written through a literal the
 * frames took ~20 % longer to encode than with the join, through a class ~25 % less (streamed
 * 80×24 frames, a micro benchmark; a profile showed the literal's methods called, not inlined).
 */
class FrameBytes {
  bytes = new Uint8Array(INITIAL_BYTES);
  length = HEAD_ROOM;
  /** Starts a frame's body (dropping whatever an interrupted frame left). */
  start(): void {
    this.length = HEAD_ROOM;
  }
  /** Whether nothing was put since start(). */
  get empty(): boolean {
    return this.length === HEAD_ROOM;
  }
  /** Makes room for `more` bytes after the current end. */
  reserve(more: number): void {
    const needed = this.length + more;
    if (needed <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(needed, this.bytes.length * 2));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }
  put(piece: string): void {
    const n = piece.length;
    this.reserve(3 * n); // a UTF-16 code unit takes at most 3 bytes of UTF-8
    const bytes = this.bytes;
    for (let i = 0; i < n; i++) {
      const unit = piece.charCodeAt(i);
      if (unit >= 0x80) {
        this.length += utf8Encoder.encodeInto(piece.slice(i), bytes.subarray(this.length)).written;
        return;
      }
      bytes[this.length++] = unit;
    }
  }
  putCodePoint(cp: number): void {
    this.reserve(4);
    const bytes = this.bytes;
    if (cp < 0x80) {
      bytes[this.length++] = cp;
      return;
    }
    if (cp < 0x800) {
      bytes[this.length++] = 0xc0 | (cp >> 6);
    } else {
      if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) cp = REPLACEMENT;
      if (cp < 0x10000) {
        bytes[this.length++] = 0xe0 | (cp >> 12);
      } else {
        bytes[this.length++] = 0xf0 | (cp >> 18);
        bytes[this.length++] = 0x80 | ((cp >> 12) & 0x3f);
      }
      bytes[this.length++] = 0x80 | ((cp >> 6) & 0x3f);
    }
    bytes[this.length++] = 0x80 | (cp & 0x3f);
  }
  /** A non-negative integer in decimal. */
  putNumber(n: number): void {
    if (n >= 10) this.putNumber(Math.floor(n / 10));
    this.putCodePoint(0x30 + (n % 10));
  }
  /**
   * `head` (ASCII, at most HEAD_ROOM characters) followed by what was put since start(), as one
   * flat string: nothing is concatenated to it afterwards, so nothing has to copy it again.
   */
  take(head: string): string {
    const from = HEAD_ROOM - head.length;
    for (let i = 0; i < head.length; i++) this.bytes[from + i] = head.charCodeAt(i);
    const frame = utf8Decoder.decode(this.bytes.subarray(from, this.length));
    this.length = HEAD_ROOM;
    if (this.bytes.length > MAX_KEPT_BYTES) this.bytes = new Uint8Array(INITIAL_BYTES);
    return frame;
  }
}
const frameBytes = new FrameBytes();

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

  /** `depth`: the colours the viewer's terminal shows; cells are written within it (colour-depth.ts). */
  constructor(private readonly depth: ColourDepth = 'rgb') {}

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
    frameBytes.start();
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
    if (frameBytes.empty) return this.cursorTail(cursor, back);
    let head = SYNC_START;
    if (this.visible !== false) {
      head = SYNC_START_HIDING_CURSOR;
      this.visible = false;
    }
    frameBytes.put(this.cursorTail(cursor, back));
    frameBytes.put(SYNC_END);
    return frameBytes.take(head);
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
    // DECSTBM top;bottom, CUP to the bottom row, LF × lines, DECSTBM reset (no string built).
    frameBytes.put(ESC);
    frameBytes.putNumber(top + 1);
    frameBytes.putCodePoint(0x3b);
    frameBytes.putNumber(bottom + 1);
    frameBytes.putCodePoint(0x72); // r
    frameBytes.put(cup(0, bottom));
    for (let i = 0; i < lines; i++) frameBytes.putCodePoint(0x0a);
    frameBytes.put(RESET_SCROLL_REGION);
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
    frameBytes.put(piece);
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
    let fg = back.fg(cell);
    let bg = back.bg(cell);
    let attrs = back.attrs(cell);
    if (this.depth !== 'rgb') {
      if (brightLost(fg, this.depth)) attrs |= ATTR_BOLD;
      fg = reduceColour(fg, this.depth);
      bg = reduceColour(bg, this.depth);
    }
    if (!this.sgrKnown || fg !== this.fg || bg !== this.bg || attrs !== this.attrs) this.sgr(fg, bg, attrs);
    const w = back.width(cell) || 1; // a continuation cell is written as a space
    const cp = back.codePoint(cell);
    const out = frameBytes;
    if (cp >= 0 && cp < 0x80 && out.length < out.bytes.length) out.bytes[out.length++] = cp; // most cells
    else putCellText(back, cell);
    this.curX += w;
    if (this.curX >= back.cols) this.curX = -1;
    return w;
  }

  /**
   * The SGR that takes the viewer from the current style to this one: a full reset first when an
   * attribute goes away (or the style is unknown), else only what was added or changed. Written
   * straight into the frame, no strings built.
   */
  private sgr(fg: number, bg: number, attrs: number): void {
    const reset = !this.sgrKnown || (this.attrs & ~attrs) !== 0;
    frameBytes.put(ESC);
    let params = 0;
    if (reset) {
      frameBytes.putCodePoint(0x30);
      params++;
    }
    const added = reset ? attrs : attrs & ~this.attrs;
    for (const [bit, code] of ATTR_CODES) {
      if ((added & bit) === 0) continue;
      if (params++ > 0) frameBytes.putCodePoint(0x3b);
      frameBytes.put(code);
    }
    if (reset ? fg !== 0 : fg !== this.fg) {
      if (params++ > 0) frameBytes.putCodePoint(0x3b);
      putColorParams(fg, 30);
    }
    if (reset ? bg !== 0 : bg !== this.bg) {
      if (params++ > 0) frameBytes.putCodePoint(0x3b);
      putColorParams(bg, 40);
    }
    frameBytes.putCodePoint(0x6d); // m
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
