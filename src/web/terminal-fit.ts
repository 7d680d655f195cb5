/**
 * How many columns and rows of the terminal fit in its container, the way @xterm/addon-fit
 * computes it: the container's content box divided by the size of one character cell.
 *
 * Invariant: the result is within 2..MAX_WEB_COLS × 2..MAX_WEB_ROWS, or null while the terminal
 * has not measured its font yet (not opened, or the container is not laid out).
 */
import type { Terminal } from '@xterm/xterm';
import { MAX_WEB_COLS, MAX_WEB_ROWS } from '../core/protocol/web-viewer-protocol.js';

export interface TermSize {
  cols: number;
  rows: number;
}

/** xterm.js keeps the measured cell size internally; the official fit addon reads it the same way. */
interface TerminalInternals {
  _core?: { _renderService?: { dimensions?: { css?: { cell?: { width: number; height: number } } } } };
}

export function fitSize(term: Terminal, container: HTMLElement): TermSize | null {
  const cell = (term as unknown as TerminalInternals)._core?._renderService?.dimensions?.css?.cell;
  if (!cell || !(cell.width > 0) || !(cell.height > 0)) return null;
  const style = getComputedStyle(container);
  const px = (value: string): number => Number.parseFloat(value) || 0;
  const width = container.clientWidth - px(style.paddingLeft) - px(style.paddingRight);
  const height = container.clientHeight - px(style.paddingTop) - px(style.paddingBottom);
  if (width <= 0 || height <= 0) return null;
  return {
    cols: clamp(Math.floor(width / cell.width), 2, MAX_WEB_COLS),
    rows: clamp(Math.floor(height / cell.height), 2, MAX_WEB_ROWS),
  };
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n));
}
