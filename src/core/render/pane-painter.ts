/**
 * Paints one pane into a ScreenGrid at its offset: the live emulator screen, tmux copy mode over
 * the pane's scrollback (backing 1), or "output" copy mode (backing 0, WRITE_COPY_MODE lines).
 *
 * Copy mode is drawn the way tmux's window-copy does it: row r shows absolute line
 * `history - oy + r` (history = the normal buffer's baseY; while the app is in the alternate
 * screen, lines at or below `history` come from the alternate buffer, as tmux's grid would have
 * them), the selection (from the start given as lines-from-bottom to the copy cursor) in
 * mode-style (black on yellow), the position indicator `[oy/history]` at the top right in
 * mode-style, the prompt (`Search Up: text`) on the last row, and `$` when the cursor is past the
 * end of the line.
 *
 * SGR 3 in a pane is drawn as reverse video (standout), not italics, as tmux 2.4 and the classic
 * tmate server draw it: their default-terminal is `screen`, so programs in the panes (TERM=screen,
 * screen-256color) send SGR 3 as `smso`, standout, and mean a highlight (less and man's search hits
 * and prompt). tmux puts the viewer terminal's `smso` in its place: reverse video.
 *
 * Invariants: the grid is freshly cleared, so default-style empty cells are skipped; cells are
 * read from xterm's cell words where their shape is the expected one, else through the public
 * IBuffer API with one reused cell object (no per-cell allocation), with the same result;
 * nothing is drawn at or beyond (clipCols, clipRows).
 */
import type { IBuffer, IBufferCell, IBufferLine, Terminal } from '@xterm/headless';
import type { CopyModeState } from '../protocol/tmate/messages.js';
import type { PaneScene } from './scene.js';
import {
  ATTR_BLINK, ATTR_BOLD, ATTR_DIM, ATTR_INVERSE, ATTR_INVISIBLE, ATTR_OVERLINE,
  ATTR_STRIKETHROUGH, ATTR_UNDERLINE, BLACK, ScreenGrid, YELLOW,
} from './screen-grid.js';
import { codePointWidth } from './text-width.js';

/** tmux's default mode-style: black on yellow. */
const MODE_FG = BLACK;
const MODE_BG = YELLOW;

/** Where a pane wants the viewer's cursor (grid coordinates). */
export interface CursorPos {
  x: number;
  y: number;
  visible: boolean;
}

/**
 * Whether the application hid the cursor (DECTCEM `?25l`). Not in xterm's public API: this reads
 * `_core.coreService.isCursorHidden`, which exists in @xterm/headless 6.0.0 (see
 * shared/notes/stack-spike.md §4.4). Re-check on any xterm upgrade; unknown shapes mean visible.
 */
export function isCursorHidden(term: Terminal): boolean {
  const core = (term as unknown as { _core?: { coreService?: { isCursorHidden?: unknown } } })._core;
  return core?.coreService?.isCursorHidden === true;
}

/** Splits plain text into rows of at most `cols` columns, like a terminal with autowrap. */
export function wrapText(text: string, cols: number, out: string[]): void {
  let start = 0;
  let width = 0;
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i)!;
    const len = cp > 0xffff ? 2 : 1;
    const w = Math.max(0, codePointWidth(cp) < 0 ? 1 : codePointWidth(cp));
    if (width + w > cols && width > 0) {
      out.push(text.slice(start, i));
      start = i;
      width = 0;
    }
    width += w;
    i += len - 1;
  }
  out.push(text.slice(start));
}

export class PanePainter {
  /** Reused for every getCell() call; created from the first emulator seen. */
  private cell: IBufferCell | null = null;
  /**
   * Whether lines are read from xterm's cell words (see rawCells) instead of cell by cell through
   * the public API; false only in tests that compare the two.
   */
  constructor(private readonly readRaw = true) {}
  /** Reused row list for output copy mode. */
  private outputRows: string[] = [];

  /** Paints `pane` at its offset, clipped to columns < clipCols and rows < clipRows. */
  paint(grid: ScreenGrid, pane: PaneScene, clipCols: number, clipRows: number): void {
    const mode = pane.copyMode;
    if (mode === null) this.paintLive(grid, pane, clipCols, clipRows);
    else if (mode.backing === 0) this.paintOutputMode(grid, pane, mode, clipCols, clipRows);
    else this.paintCopyMode(grid, pane, mode, clipCols, clipRows);
  }

  /** The cursor the viewer should see when this pane is the active one. */
  cursor(pane: PaneScene, out: CursorPos): void {
    const mode = pane.copyMode;
    if (mode !== null) {
      out.x = pane.xoff + Math.min(Math.max(0, mode.cx), pane.cols - 1);
      out.y = pane.yoff + Math.min(Math.max(0, mode.cy), pane.rows - 1);
      out.visible = true;
      return;
    }
    const buf = pane.terminal.buffer.active;
    out.x = pane.xoff + Math.min(buf.cursorX, pane.cols - 1);
    out.y = pane.yoff + Math.min(buf.cursorY, pane.rows - 1);
    out.visible = !isCursorHidden(pane.terminal);
  }

  /** Paints screen row `r` of a live pane (for repainting only the rows that changed). */
  paintLiveRow(grid: ScreenGrid, pane: PaneScene, r: number, clipCols: number): void {
    const buf = pane.terminal.buffer.active;
    this.paintLine(grid, buf.getLine(buf.baseY + r), pane, pane.yoff + r, clipCols);
  }

  private paintLive(grid: ScreenGrid, pane: PaneScene, clipCols: number, clipRows: number): void {
    const buf = pane.terminal.buffer.active;
    const rows = Math.min(pane.rows, clipRows - pane.yoff);
    for (let r = 0; r < rows; r++) {
      this.paintLine(grid, buf.getLine(buf.baseY + r), pane, pane.yoff + r, clipCols);
    }
  }

  private paintCopyMode(
    grid: ScreenGrid, pane: PaneScene, mode: CopyModeState, clipCols: number, clipRows: number,
  ): void {
    const normal = pane.terminal.buffer.normal;
    const active = pane.terminal.buffer.active;
    const history = normal.baseY;
    const oy = Math.max(0, mode.oy);
    const top = history - oy;
    const rows = Math.min(pane.rows, clipRows - pane.yoff);
    for (let r = 0; r < rows; r++) {
      const line = copyModeLine(normal, active, history, top + r);
      this.paintLine(grid, line, pane, pane.yoff + r, clipCols);
    }
    paintCopyOverlay(grid, pane, mode, top, history, clipCols, clipRows);
  }

  private paintOutputMode(
    grid: ScreenGrid, pane: PaneScene, mode: CopyModeState, clipCols: number, clipRows: number,
  ): void {
    const lines = this.outputRows;
    lines.length = 0;
    for (const text of pane.outputLines) wrapText(text, Math.max(1, pane.cols), lines);
    const history = Math.max(0, lines.length - pane.rows);
    const top = history - Math.min(Math.max(0, mode.oy), history);
    const limit = Math.min(pane.xoff + pane.cols, clipCols);
    const rows = Math.min(pane.rows, clipRows - pane.yoff);
    for (let r = 0; r < rows; r++) {
      const text = lines[top + r];
      if (text !== undefined) grid.putText(pane.xoff, pane.yoff + r, text, limit, 0, 0, 0);
    }
    paintCopyOverlay(grid, pane, mode, top, history, clipCols, clipRows);
  }

  /** Copies one emulator line into grid row `gy`, starting at the pane's xoff. */
  private paintLine(
    grid: ScreenGrid, line: IBufferLine | undefined, pane: PaneScene, gy: number, clipCols: number,
  ): void {
    if (line === undefined || gy < 0) return;
    const cell = this.cell ?? (this.cell = pane.terminal.buffer.active.getNullCell());
    const gx = pane.xoff;
    const xEnd = Math.min(gx + pane.cols, clipCols);
    const n = Math.min(line.length, xEnd - gx);
    const raw = this.readRaw ? rawCells(line, n) : null;
    if (raw === null) {
      for (let x = 0; x < n; x++) {
        const c = line.getCell(x, cell);
        if (c === undefined) break;
        paintCell(grid, c, gx + x, gy, xEnd);
      }
      return;
    }
    for (let x = 0, i = 0; x < n; x++, i += 3) {
      const content = raw[i]!;
      const fgWord = raw[i + 1]!;
      const bgWord = raw[i + 2]!;
      if ((content & XT_COMBINED) !== 0 || (bgWord & XT_HAS_EXTENDED) !== 0) {
        // Clusters and extended underline styles: the public API knows how to read them.
        paintCell(grid, line.getCell(x, cell)!, gx + x, gy, xEnd);
        continue;
      }
      const w = content >>> XT_WIDTH_SHIFT;
      if (w === 0) continue;
      const cp = content & XT_CODEPOINT_MASK;
      const clipped = w === 2 && gx + x + 1 >= xEnd;
      if (fgWord === 0 && bgWord === 0) {
        if (cp !== 0) grid.put(gx + x, gy, clipped ? 0x20 : cp, clipped ? 1 : w, 0, 0, 0);
        continue;
      }
      const attrs = rawAttrs(fgWord, bgWord);
      grid.put(gx + x, gy, clipped || cp === 0 ? 0x20 : cp, clipped ? 1 : w, rawColor(fgWord), rawColor(bgWord), attrs);
    }
  }
}

/** One cell read through xterm's public API (the reference the raw path must match). */
function paintCell(grid: ScreenGrid, c: IBufferCell, x: number, gy: number, xEnd: number): void {
  const w = c.getWidth();
  if (w === 0) return;
  const chars = c.getChars();
  if (c.isAttributeDefault()) {
    if (chars.length === 0) return;
    if (w === 2 && x + 1 >= xEnd) grid.put(x, gy, 0x20, 1, 0, 0, 0);
    else grid.putChars(x, gy, chars, w, 0, 0, 0);
    return;
  }
  const fgMode = c.getFgColorMode();
  const bgMode = c.getBgColorMode();
  const fg = fgMode === 0 ? 0 : fgMode | c.getFgColor();
  const bg = bgMode === 0 ? 0 : bgMode | c.getBgColor();
  const attrs = cellAttrs(c);
  if (w === 2 && x + 1 >= xEnd) grid.put(x, gy, 0x20, 1, fg, bg, attrs);
  else grid.putChars(x, gy, chars, w, fg, bg, attrs);
}

/*
 * The raw path: @xterm/headless 6.0 keeps a line's cells in `BufferLine._data`, three 32-bit words
 * per cell (content, fg, bg) in the layout below, which ScreenGrid shares for code point, width and
 * colour. Reading the words directly instead of through getCell()/getChars()/is*() makes painting
 * several times cheaper, and painting is most of a frame. The shape is checked on every line and
 * anything unexpected falls back to the public API; the unit tests paint the same screens both ways
 * and compare. Re-check these constants on any xterm upgrade.
 */
const XT_CODEPOINT_MASK = 0x1fffff;
const XT_COMBINED = 0x200000;
const XT_WIDTH_SHIFT = 22;
const XT_COLOR_MODE = 0x3000000;
const XT_RGB = 0x3000000;
const XT_FG_INVERSE = 1 << 26;
const XT_FG_BOLD = 1 << 27;
const XT_FG_UNDERLINE = 1 << 28;
const XT_FG_BLINK = 1 << 29;
const XT_FG_INVISIBLE = 1 << 30;
const XT_FG_STRIKETHROUGH = 1 << 31;
const XT_BG_ITALIC = 1 << 26;
const XT_BG_DIM = 1 << 27;
const XT_HAS_EXTENDED = 1 << 28;
const XT_BG_OVERLINE = 1 << 30;

/** The line's cell words when they have the expected shape for `n` cells, else null. */
function rawCells(line: IBufferLine, n: number): Uint32Array | null {
  const data = (line as unknown as { _line?: { _data?: unknown } })._line?._data;
  return data instanceof Uint32Array && data.length >= n * 3 ? data : null;
}

/** ScreenGrid colour (mode | value) from an xterm fg/bg word; palette values are 8 bits. */
function rawColor(word: number): number {
  const mode = word & XT_COLOR_MODE;
  if (mode === 0) return 0;
  return mode | (mode === XT_RGB ? word & 0xffffff : word & 0xff);
}

function rawAttrs(fg: number, bg: number): number {
  return (
    (fg & XT_FG_BOLD ? ATTR_BOLD : 0) | (bg & XT_BG_DIM ? ATTR_DIM : 0) |
    (fg & XT_FG_UNDERLINE ? ATTR_UNDERLINE : 0) | (fg & XT_FG_BLINK ? ATTR_BLINK : 0) |
    (fg & XT_FG_INVERSE || bg & XT_BG_ITALIC ? ATTR_INVERSE : 0) | (fg & XT_FG_INVISIBLE ? ATTR_INVISIBLE : 0) |
    (fg & XT_FG_STRIKETHROUGH ? ATTR_STRIKETHROUGH : 0) | (bg & XT_BG_OVERLINE ? ATTR_OVERLINE : 0)
  );
}

function cellAttrs(c: IBufferCell): number {
  return (
    (c.isBold() ? ATTR_BOLD : 0) | (c.isDim() ? ATTR_DIM : 0) |
    (c.isUnderline() ? ATTR_UNDERLINE : 0) | (c.isBlink() ? ATTR_BLINK : 0) |
    (c.isInverse() || c.isItalic() ? ATTR_INVERSE : 0) | (c.isInvisible() ? ATTR_INVISIBLE : 0) |
    (c.isStrikethrough() ? ATTR_STRIKETHROUGH : 0) | (c.isOverline() ? ATTR_OVERLINE : 0)
  );
}

/**
 * Absolute copy-mode line `abs` (0 = oldest history line). History lines live in the normal
 * buffer; the visible screen part comes from the alternate buffer while it is active.
 */
function copyModeLine(normal: IBuffer, active: IBuffer, history: number, abs: number): IBufferLine | undefined {
  if (abs < 0) return undefined;
  if (abs >= history && active.type === 'alternate') return active.getLine(abs - history);
  return normal.getLine(abs);
}

/** Selection, `$` marker, position indicator and prompt over a copy-mode pane. */
function paintCopyOverlay(
  grid: ScreenGrid, pane: PaneScene, mode: CopyModeState, top: number, history: number,
  clipCols: number, clipRows: number,
): void {
  const xEnd = Math.min(pane.xoff + pane.cols, clipCols);
  if (mode.selection !== null) paintSelection(grid, pane, mode, top, history, xEnd, clipRows);
  const dollarX = pane.xoff + pane.cols - 1;
  const dollarY = pane.yoff + mode.cy;
  if (mode.cx >= pane.cols && mode.cy >= 0 && mode.cy < pane.rows && dollarY < clipRows && dollarX < clipCols) {
    grid.put(dollarX, dollarY, 0x24, 1, 0, 0, 0);
  }
  if (pane.yoff >= clipRows) return;
  const indicator = `[${Math.max(0, mode.oy)}/${history}]`;
  const ix = pane.xoff + Math.max(0, pane.cols - indicator.length);
  grid.putText(ix, pane.yoff, indicator, xEnd, MODE_FG, MODE_BG, 0);
  const last = pane.yoff + pane.rows - 1;
  if (mode.prompt !== null && pane.rows > 1 && last < clipRows) {
    grid.putText(pane.xoff, last, `${mode.prompt.prompt}: ${mode.prompt.text}`, xEnd, MODE_FG, MODE_BG, 0);
  }
}

/** Restyles the selected cells: from the selection start to the copy cursor, inclusive. */
function paintSelection(
  grid: ScreenGrid, pane: PaneScene, mode: CopyModeState, top: number, history: number,
  xEnd: number, clipRows: number,
): void {
  const sel = mode.selection!;
  const startAbs = history + pane.rows - 1 - sel.lineFromBottom;
  const endAbs = top + mode.cy;
  const rows = Math.min(pane.rows, clipRows - pane.yoff);
  const lastCol = pane.cols - 1;
  let y0 = startAbs, x0 = sel.x, y1 = endAbs, x1 = mode.cx;
  if (sel.rect) {
    if (y0 > y1) [y0, y1] = [y1, y0];
    if (x0 > x1) [x0, x1] = [x1, x0];
  } else if (y0 > y1 || (y0 === y1 && x0 > x1)) {
    [y0, x0, y1, x1] = [y1, x1, y0, x0];
  }
  for (let r = Math.max(0, y0 - top); r < rows && top + r <= y1; r++) {
    const abs = top + r;
    const from = sel.rect || abs === y0 ? x0 : 0;
    const to = Math.min(sel.rect || abs === y1 ? x1 : lastCol, lastCol);
    for (let x = Math.max(0, from); x <= to && pane.xoff + x < xEnd; x++) {
      grid.restyle(pane.xoff + x, pane.yoff + r, MODE_FG, MODE_BG, 0);
    }
  }
}
