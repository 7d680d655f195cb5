/**
 * Paints the status line the way tmux's default status does (tmate-ssh-server, tmux 2.4):
 * black on green, `left` at column 0, then the window list `0:bash* 1:vim- ` (format `#I:#W#F`,
 * `*` current, `-` last, `!` rang a bell, `Z` zoomed, each entry followed by a space), `right`
 * ending at the last column.
 * When the list does not fit it scrolls so the current window stays visible, with `<` / `>`
 * marking cut-off entries. A set `message` replaces everything, black on yellow (message-style),
 * padded to the full width.
 *
 * Narrow terminals: tmux blanks the line when left+right do not fit; here `left` is shortened
 * first, then `right`, keeping at least one column for the window list when possible.
 *
 * Invariants: draws exactly row `y`, columns [0, cols); plain text only (no #[style] parsing).
 */
import type { StatusScene, StatusWindow } from './scene.js';
import { BLACK, GREEN, ScreenGrid, YELLOW } from './screen-grid.js';
import { codePointWidth, stringWidth } from './text-width.js';

const STATUS_FG = BLACK;
const STATUS_BG = GREEN;
const MESSAGE_FG = BLACK;
const MESSAGE_BG = YELLOW;

/** `0:bash*`, `1:vim*Z`, `2:make!-`: tmux's window-status-format `#I:#W#F`. */
export function windowLabel(w: StatusWindow): string {
  return `${w.index}:${w.name}${windowFlags(w)}`;
}

/** tmux's `#F` (window_flags) in tmux's order: `!` bell, `*` current or `-` last, `Z` zoomed. */
export function windowFlags(w: StatusWindow): string {
  return `${w.bell === true ? '!' : ''}${w.active ? '*' : w.last ? '-' : ''}${w.zoomed ? 'Z' : ''}`;
}

export function paintStatus(grid: ScreenGrid, y: number, status: StatusScene): void {
  const cols = grid.cols;
  if (y < 0 || y >= grid.rows || cols === 0) return;
  if (status.message !== null) {
    grid.fill(0, cols, y, 0x20, MESSAGE_FG, MESSAGE_BG, 0);
    grid.putText(0, y, status.message, cols, MESSAGE_FG, MESSAGE_BG, 0);
    return;
  }
  grid.fill(0, cols, y, 0x20, STATUS_FG, STATUS_BG, 0);
  let leftW = stringWidth(status.left);
  let rightW = stringWidth(status.right);
  if (leftW + rightW + 1 > cols) leftW = Math.max(0, Math.min(leftW, cols - rightW - 1));
  if (leftW + rightW + 1 > cols) rightW = Math.max(0, cols - leftW - 1);
  grid.putText(0, y, status.left, leftW, STATUS_FG, STATUS_BG, 0);
  grid.putText(cols - rightW, y, status.right, cols, STATUS_FG, STATUS_BG, 0);
  paintWindowList(grid, y, status.windows, leftW, cols - rightW);
}

/** Draws the window list into columns [from, to), scrolled to keep the current window visible. */
function paintWindowList(grid: ScreenGrid, y: number, windows: readonly StatusWindow[], from: number, to: number): void {
  const avail = to - from;
  if (avail <= 0 || windows.length === 0) return;
  let text = '';
  let curStart = 0;
  let curEnd = 0;
  for (const w of windows) {
    const label = windowLabel(w);
    if (w.active) {
      curStart = stringWidth(text);
      curEnd = curStart + stringWidth(label);
    }
    text += `${label} `;
  }
  const total = stringWidth(text);
  if (total <= avail) {
    grid.putText(from, y, text, to, STATUS_FG, STATUS_BG, 0);
    return;
  }
  let start = 0;
  let room = avail - 1;
  let leftArrow = false;
  let rightArrow = true;
  if (curEnd > room) {
    leftArrow = true;
    start = curEnd - room;
    rightArrow = total > start + room + 1;
    if (rightArrow) {
      room--;
      start++;
    }
  }
  if (room <= 0) return;
  let x = from;
  if (leftArrow) grid.put(x++, y, 0x3c, 1, STATUS_FG, STATUS_BG, 0);
  putSlice(grid, x, y, text, start, room);
  if (rightArrow) grid.put(x + room, y, 0x3e, 1, STATUS_FG, STATUS_BG, 0);
}

/** Writes the columns [skip, skip + width) of `text` at x; wide characters cut in half become spaces. */
function putSlice(grid: ScreenGrid, x: number, y: number, text: string, skip: number, width: number): void {
  let col = 0;
  const end = skip + width;
  for (let i = 0; i < text.length && col < end; i++) {
    const cp = text.codePointAt(i)!;
    if (cp > 0xffff) i++;
    const w0 = codePointWidth(cp);
    const w = w0 < 0 ? 1 : w0;
    if (w === 0) continue;
    if (col >= skip && col + w <= end) grid.put(x + col - skip, y, w0 < 0 ? 0x3f : cp, w, STATUS_FG, STATUS_BG, 0);
    else if (col + w > skip && col < end) {
      for (let c = Math.max(col, skip); c < Math.min(col + w, end); c++) grid.put(x + c - skip, y, 0x20, 1, STATUS_FG, STATUS_BG, 0);
    }
    col += w;
  }
}
