/**
 * Read-only view of a pane's emulator as tmux's copy-mode backing grid: absolute lines numbered
 * from the oldest history line (0) to history + rows - 1, exactly as the relay's pane painter
 * numbers them (history = the normal buffer's baseY; while the alternate screen is active, lines
 * at or past `history` come from the alternate buffer).
 *
 * Invariants: never writes to, resizes or subscribes to the emulator; every accessor tolerates
 * out-of-range lines and columns (an absent line reads as empty); one reused cell object.
 */
import type { IBufferCell, IBufferLine } from '@xterm/headless';
import type { Emulator } from '../../term/emulator.js';

/** One printed cell of a line: its text (' ' for an empty cell) and its column. */
export interface GridChar {
  ch: string;
  x: number;
}

export class CopyGrid {
  private cell: IBufferCell | null = null;

  constructor(private readonly term: Emulator) {}

  get rows(): number {
    return Math.max(1, this.term.rows);
  }

  get cols(): number {
    return Math.max(1, this.term.cols);
  }

  /** Lines of history (above the visible screen). */
  get history(): number {
    return Math.max(0, this.term.buffer.normal.baseY);
  }

  /** The emulator's scrollback limit: history never grows past it, old lines are dropped. */
  get historyLimit(): number {
    const limit = this.term.options.scrollback;
    return typeof limit === 'number' && limit >= 0 ? limit : Number.POSITIVE_INFINITY;
  }

  /** The pane's cursor on its active screen. */
  cursor(): { x: number; y: number } {
    const buf = this.term.buffer.active;
    return { x: buf.cursorX, y: buf.cursorY };
  }

  line(abs: number): IBufferLine | undefined {
    if (!Number.isInteger(abs) || abs < 0) return undefined;
    const history = this.history;
    const active = this.term.buffer.active;
    if (abs >= history && active.type === 'alternate') return active.getLine(abs - history);
    return this.term.buffer.normal.getLine(abs);
  }

  /** Printed length of a line: columns up to the last cell that is not a space (tmux's rule). */
  length(abs: number): number {
    const line = this.line(abs);
    if (line === undefined) return 0;
    const cell = this.reusedCell();
    for (let x = Math.min(line.length, this.cols) - 1; x >= 0; x--) {
      const c = line.getCell(x, cell);
      if (c === undefined) continue;
      if (c.getWidth() === 0) return x + 1; // right half of a wide character
      const ch = c.getChars();
      if (ch !== '' && ch !== ' ') return x + 1;
    }
    return 0;
  }

  /** True when line `abs` was wrapped at the right edge and continues on line `abs + 1`. */
  wrapped(abs: number): boolean {
    return this.line(abs + 1)?.isWrapped === true;
  }

  /** The text of one cell: ' ' when empty, '' for the right half of a wide character. */
  charAt(x: number, abs: number): string {
    const line = this.line(abs);
    if (line === undefined || x < 0 || x >= line.length) return ' ';
    const c = line.getCell(x, this.reusedCell());
    if (c === undefined) return ' ';
    if (c.getWidth() === 0) return '';
    return c.getChars() || ' ';
  }

  /** The printed characters of line `abs` from column `from` on (wide characters once). */
  chars(abs: number, from = 0): GridChar[] {
    const out: GridChar[] = [];
    const line = this.line(abs);
    if (line === undefined) return out;
    const cell = this.reusedCell();
    const end = Math.min(line.length, this.cols);
    for (let x = Math.max(0, from); x < end; x++) {
      const c = line.getCell(x, cell);
      if (c === undefined || c.getWidth() === 0) continue;
      out.push({ ch: c.getChars() || ' ', x });
    }
    return out;
  }

  /** Text of columns [sx, ex) of a line, wide characters once, empty cells as spaces. */
  text(abs: number, sx: number, ex: number): string {
    let s = '';
    for (const { ch, x } of this.chars(abs, sx)) {
      if (x >= ex) break;
      s += ch;
    }
    return s;
  }

  /** The whole line as a string (for recognising it again after output). */
  lineText(abs: number): string {
    return this.line(abs)?.translateToString(true) ?? '';
  }

  private reusedCell(): IBufferCell {
    return this.cell ?? (this.cell = this.term.buffer.active.getNullCell());
  }
}
