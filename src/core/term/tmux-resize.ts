/**
 * Resizes a pane's emulator the way tmux resizes a pane: the height first, then the width, and a
 * taller screen pulls as many lines down from the scrollback as it grows, wherever the cursor is.
 * xterm pulls scrollback lines only while the cursor is on the last row and adds blank rows below
 * otherwise, so after `clear` (the prompt near the top) a pane that grew showed the prompt where
 * the host had moved it down under the lines it pulled back: a viewer saw the shell's screen
 * shifted from the host's until it scrolled, and copy mode at the host's offsets a few lines off.
 *
 * tmux 2.4 (the stock tmate host) on a height change: shrinking deletes the rows below the
 * cursor first, then pushes rows from the top into the history (xterm does the same); growing
 * pulls min(growth, history) lines from the history, moving the cursor down with them, and adds
 * blank rows for the rest. On a width change tmux rewraps every line and shows the last rows of
 * the result, blank rows below the cursor included, so lines that wrapping adds go into the
 * history (the cursor's line included: the emulator is created with xterm's `reflowCursorLine`, and
 * like tmux 2.4 xterm then keeps the cursor's row and clamps its column);
 * xterm's reflow does the same once there is a scrollback, but on a screen without one it
 * moves the cursor down into the blank rows instead (a new pane that a split narrowed). Only the
 * normal screen has a history: the alternate screen resizes as xterm does it.
 *
 * Invariants: the emulator's own resize does all the work; the fix-ups only move the boundary
 * between scrollback and screen, with the cursor: down onto rows xterm just added blank at the
 * bottom (never a row with content) when growing, up over new blank rows at the bottom when
 * narrowing. When xterm's internals are not the shape checked, resizes are xterm's own.
 */
import type { Terminal } from '@xterm/headless';
import { movableNormalBuffer } from './xterm-buffer-line.js';

/** Makes `term.resize` resize as tmux does (installed last: it calls the resize installed before). */
export function resizeLikeTmux(term: Terminal): void {
  const resize = term.resize.bind(term);
  term.resize = (cols: number, rows: number): void => {
    if (rows !== term.rows) resizeHeight(term, resize, rows);
    if (cols !== term.cols) resizeWidth(term, resize, cols);
  };
}

function resizeHeight(term: Terminal, resize: (cols: number, rows: number) => void, rows: number): void {
  const oldRows = term.rows;
  const buffer = movableNormalBuffer(term);
  const onNormal = term.buffer.active.type === 'normal';
  const history = buffer?.ybase ?? 0;
  resize(term.cols, rows);
  if (buffer === null || !onNormal || rows <= oldRows) return;
  const newRows = term.rows;
  const pulledByXterm = history - buffer.ybase;
  let extra = Math.min(newRows - oldRows, history) - pulledByXterm;
  if (extra <= 0 || buffer.lines.length !== buffer.ybase + newRows) return;
  // The rows xterm added at the bottom are blank; stop at any that is not.
  for (let i = 0; i < extra; i++) {
    if ((buffer.lines.get(buffer.lines.length - 1 - i)?.getTrimmedLength() ?? 1) > 0) extra = i;
  }
  for (let i = 0; i < extra; i++) buffer.lines.pop();
  buffer.ybase -= extra;
  buffer.ydisp = buffer.ybase;
  buffer.y += extra;
}

/**
 * xterm's reflow, except that a narrower screen without scrollback yet pushes the lines that
 * wrapping adds into the scrollback, keeping the blank rows below the cursor, as tmux does: xterm
 * instead moves the cursor down into those rows (and drops them), so a new pane that a split made
 * narrower showed its content further down than the host's.
 */
function resizeWidth(term: Terminal, resize: (cols: number, rows: number) => void, cols: number): void {
  const buffer = movableNormalBuffer(term);
  const onNormal = term.buffer.active.type === 'normal';
  const narrowing = cols < term.cols;
  const before = buffer === null ? null : { ybase: buffer.ybase, y: buffer.y };
  resize(cols, term.rows);
  if (buffer === null || before === null || !onNormal || !narrowing || before.ybase !== 0) return;
  const moved = buffer.y - before.y;
  if (moved <= 0 || buffer.lines.length !== buffer.ybase + term.rows || buffer.lines.length + moved > buffer.lines.maxLength) return;
  for (let i = 0; i < moved; i++) buffer.lines.push(buffer.getBlankLine(undefined));
  buffer.ybase += moved;
  buffer.ydisp = buffer.ybase;
  buffer.y -= moved;
}
