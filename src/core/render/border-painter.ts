/**
 * Paints what lies between and around panes in the window area: tmux-style single-line borders
 * with box-drawing junctions, the active pane's border in green, and — when the viewer is larger
 * than the window — the area outside the window.
 *
 * What the reference server (tmate-ssh-server, a tmux 2.4 fork) draws, reimplemented here:
 * - A cell is a border cell when it lies on the one-cell ring around some visible pane and inside
 *   no pane. The ring includes column `xoff + cols` and row `yoff + rows` even at the window's
 *   right/bottom edge, so a window smaller than the viewer gets a closing line on those edges.
 * - The glyph follows which of the four neighbours are border cells (the window's left and top
 *   edges count as border), e.g. ┬ for left+right+below.
 * - A border cell is green (pane-active-border-style fg=green) when it is on the active pane's
 *   ring. With exactly two panes the shared border is split in half like tmux: the half next to
 *   the active pane's first half is green.
 * - Cells outside the window (and any gap no pane claims) are filled with `·` (ACS `~`) in the
 *   default style, and the message `(size WxH from a smaller client)` is written at the right end
 *   of the last window-area row when it fits.
 * - A zoomed pane (the active pane covering the whole window at 0,0) is drawn alone.
 *
 * Invariants: cells inside visible panes are never touched; nothing is drawn at or beyond
 * (areaCols, areaRows); the scratch mask is reused between frames.
 */
import type { PaneScene, WindowScene } from './scene.js';
import { GREEN, ScreenGrid } from './screen-grid.js';

const NONE = 0;
const INSIDE = 1;
const BORDER = 2;

const FILLER = 0xb7; // '·'
/** Glyph by neighbour bits: left 8, right 4, up 2, down 1. */
const GLYPHS: readonly number[] = [
  FILLER, 0x2502, 0x2502, 0x2502, 0x2500, 0x250c, 0x2514, 0x251c,
  0x2500, 0x2510, 0x2518, 0x2524, 0x2500, 0x252c, 0x2534, 0x253c,
];

type PaneBox = Pick<PaneScene, 'id' | 'xoff' | 'yoff' | 'cols' | 'rows'>;

/**
 * The zoomed pane of a window of `cols`×`rows`, or undefined: tmate sends no zoom flag, a zoomed
 * pane is the active one of several, covering the whole window from 0,0 (PROTOCOL.md).
 */
export function zoomedPane<P extends PaneBox>(panes: readonly P[], activePaneId: number, cols: number, rows: number): P | undefined {
  const active = panes.find((p) => p.id === activePaneId);
  const covers = active !== undefined && active.xoff === 0 && active.yoff === 0 && active.cols >= cols && active.rows >= rows;
  return panes.length > 1 && covers ? active : undefined;
}

/** The panes tmux would draw: the zoomed pane alone, else every pane that starts in the window. */
export function visiblePanes(window: WindowScene): PaneScene[] {
  const zoomed = zoomedPane(window.panes, window.activePaneId, window.cols, window.rows);
  if (zoomed !== undefined) return [zoomed];
  const inside = (p: PaneScene): boolean => p.xoff < window.cols && p.yoff < window.rows;
  return window.panes.every(inside) ? window.panes : window.panes.filter(inside);
}

/** True when x,y is on the ring around `p` (corners included), not inside it. */
function onRing(p: PaneScene, x: number, y: number): boolean {
  const right = p.xoff + p.cols;
  const bottom = p.yoff + p.rows;
  const inX = x >= p.xoff - 1 && x <= right;
  const inY = y >= p.yoff - 1 && y <= bottom;
  if (!inX || !inY) return false;
  const vertical = (p.xoff > 0 && x === p.xoff - 1) || x === right;
  const horizontal = (p.yoff > 0 && y === p.yoff - 1) || y === bottom;
  return vertical || horizontal;
}

/** tmux's two-pane rule: the shared border is green only on the active pane's half. */
function sharedBorderActive(active: PaneScene, other: PaneScene, x: number, y: number): boolean {
  if (active.yoff === other.yoff && active.rows === other.rows) {
    const first = active.xoff < other.xoff ? active : other;
    const upperHalf = y - first.yoff <= first.rows >> 1;
    return first === active ? upperHalf : !upperHalf;
  }
  if (active.xoff === other.xoff && active.cols === other.cols) {
    const first = active.yoff < other.yoff ? active : other;
    const leftHalf = x - first.xoff <= first.cols >> 1;
    return first === active ? leftHalf : !leftHalf;
  }
  return true;
}

export class BorderPainter {
  private mask = new Uint8Array(0);
  private maskCols = 0;
  private maskRows = 0;

  /** Draws borders and the outside area for `panes` (from visiblePanes) of `window`. */
  paint(grid: ScreenGrid, window: WindowScene, panes: readonly PaneScene[], areaCols: number, areaRows: number): void {
    this.buildMask(window, panes);
    const active = panes.find((p) => p.id === window.activePaneId);
    const other = panes.length === 2 ? panes.find((p) => p !== active) : undefined;
    const mask = this.mask;
    for (let y = 0; y < areaRows; y++) {
      const row = y < this.maskRows ? y * this.maskCols : -1;
      for (let x = 0; x < areaCols; x++) {
        const kind = row >= 0 && x < this.maskCols ? mask[row + x]! : NONE;
        if (kind === INSIDE) continue;
        if (kind === NONE) {
          grid.put(x, y, FILLER, 1, 0, 0, 0);
          continue;
        }
        let green = active !== undefined && onRing(active, x, y);
        if (green && other !== undefined && onRing(other, x, y)) green = sharedBorderActive(active!, other, x, y);
        grid.put(x, y, GLYPHS[this.neighbours(x, y)]!, 1, green ? GREEN : 0, 0, 0);
      }
    }
    paintSizeMessage(grid, window, areaCols, areaRows);
  }

  private at(x: number, y: number): number {
    if (x < 0 || y < 0 || x >= this.maskCols || y >= this.maskRows) return NONE;
    return this.mask[y * this.maskCols + x]!;
  }

  private neighbours(x: number, y: number): number {
    return (
      (x === 0 || this.at(x - 1, y) === BORDER ? 8 : 0) |
      (this.at(x + 1, y) === BORDER ? 4 : 0) |
      (y === 0 || this.at(x, y - 1) === BORDER ? 2 : 0) |
      (this.at(x, y + 1) === BORDER ? 1 : 0)
    );
  }

  /** Marks window cells (plus the closing column/row) as inside a pane, border, or neither. */
  private buildMask(window: WindowScene, panes: readonly PaneScene[]): void {
    const mc = Math.max(0, window.cols + 1);
    const mr = Math.max(0, window.rows + 1);
    if (this.mask.length < mc * mr) this.mask = new Uint8Array(mc * mr);
    this.maskCols = mc;
    this.maskRows = mr;
    this.mask.fill(NONE, 0, mc * mr);
    for (const p of panes) this.markRing(p);
    for (const p of panes) this.markRect(p.xoff, p.yoff, p.xoff + p.cols - 1, p.yoff + p.rows - 1, INSIDE);
  }

  private markRing(p: PaneScene): void {
    const x0 = Math.max(0, p.xoff - 1);
    const y0 = Math.max(0, p.yoff - 1);
    const x1 = p.xoff + p.cols;
    const y1 = p.yoff + p.rows;
    if (p.xoff > 0) this.markRect(p.xoff - 1, y0, p.xoff - 1, y1, BORDER);
    this.markRect(x1, y0, x1, y1, BORDER);
    if (p.yoff > 0) this.markRect(x0, p.yoff - 1, x1, p.yoff - 1, BORDER);
    this.markRect(x0, y1, x1, y1, BORDER);
  }

  /** Sets the inclusive rectangle, clipped to the mask. */
  private markRect(x0: number, y0: number, x1: number, y1: number, kind: number): void {
    const xa = Math.max(0, x0);
    const xb = Math.min(this.maskCols - 1, x1);
    const yb = Math.min(this.maskRows - 1, y1);
    if (xa > xb) return;
    for (let y = Math.max(0, y0); y <= yb; y++) {
      this.mask.fill(kind, y * this.maskCols + xa, y * this.maskCols + xb + 1);
    }
  }
}

/** tmux's note in the outside area: `(size 80x23 from a smaller client)`, bottom right. */
function paintSizeMessage(grid: ScreenGrid, window: WindowScene, areaCols: number, areaRows: number): void {
  if (areaRows <= window.rows && areaCols <= window.cols) return;
  const msg = `(size ${window.cols}x${window.rows} from a smaller client)`;
  const fitsBelow = areaRows - 1 > window.rows && areaCols >= msg.length;
  const fitsRight = areaCols - window.cols > msg.length;
  if (areaRows === 0 || (!fitsBelow && !fitsRight)) return;
  grid.putText(areaCols - msg.length, areaRows - 1, msg, areaCols, 0, 0, 0);
}
