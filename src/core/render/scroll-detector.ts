/**
 * Finds rows that moved up between what a viewer shows (`front`) and the next frame (`back`), so
 * the encoder can move them with one terminal scroll instead of rewriting every row. Output that
 * scrolls (logs, `seq`, a shell at the bottom of its pane) then costs the new lines, not a screen.
 *
 * A scroll is a region of whole rows top..bottom and a count: after it, back rows
 * top..top+kept-1 equal front rows top+lines..bottom, and the freed rows below are redrawn.
 * Only whole rows are compared, so side-by-side panes that scroll separately never match and are
 * simply redrawn; the first changed row must be where the moved block starts.
 *
 * A scroll is only proposed when it is cheaper: cells to rewrite after it (the freed rows, plus
 * the cost of the sequence itself) against cells that differ row by row without it. Log lines
 * with a common prefix, or `seq` output, often differ in a few cells per row and stay diffed.
 *
 * The renderer's next `front` is this frame's `back`, so the back rows' hashes are kept and
 * reused for the next front when that grid has not changed since (ScreenGrid.version): half the
 * hashing per frame.
 *
 * Invariants: a Scroll is returned only when every kept row was verified cell by cell (hashes
 * only pick candidates), at least MIN_KEPT rows are kept, one of them is not blank, and it saves
 * cells; the grids are not modified; kept hashes are used only for the same grid at the same
 * version and width.
 */
import { ScreenGrid } from './screen-grid.js';

export interface Scroll {
  top: number;
  bottom: number;
  lines: number;
}

/** Fewer kept rows than this are cheaper to rewrite than to scroll. */
const MIN_KEPT = 2;
/** Candidate offsets tried for the first changed row (repeated rows give several). */
const MAX_CANDIDATES = 4;
/** The scroll sequence's own size, in cells written (about 20 bytes). */
const SCROLL_COST = 20;

export class ScrollDetector {
  private frontHash = new Int32Array(0);
  private backHash = new Int32Array(0);
  /** Row hashes of the last `back`, valid while that grid is at `keptVersion`. */
  private keptHash = new Int32Array(0);
  private keptGrid: ScreenGrid | null = null;
  private keptVersion = -1;
  private keptCount = 0;

  /** The scroll that turns front rows 0..rows-1 into back rows with the fewest rewrites, or null. */
  find(front: ScreenGrid, back: ScreenGrid, rows: number): Scroll | null {
    const n = Math.min(rows, front.rows, back.rows);
    if (n < MIN_KEPT + 1 || front.cols !== back.cols) return null;
    if (this.frontHash.length < n) {
      this.frontHash = new Int32Array(n);
      this.backHash = new Int32Array(n);
      this.keptHash = new Int32Array(n);
      this.keptGrid = null;
    }
    const fh = this.frontHash;
    const bh = this.backHash;
    const reuse = front === this.keptGrid && front.version === this.keptVersion && this.keptCount >= n;
    if (reuse) fh.set(this.keptHash.subarray(0, n));
    let top = -1;
    for (let y = 0; y < n; y++) {
      if (!reuse) fh[y] = front.rowHash(y);
      bh[y] = back.rowHash(y);
      if (top < 0 && fh[y] !== bh[y]) top = y;
    }
    this.keep(back, n);
    if (top < 0) return null;
    const blank = blankRowHash(back.cols);
    let best: Scroll | null = null;
    let bestKept = MIN_KEPT - 1;
    let tried = 0;
    for (let src = top + 1; src < n && tried < MAX_CANDIDATES; src++) {
      if (fh[src] !== bh[top]) continue;
      tried++;
      const lines = src - top;
      const kept = this.keptRows(front, back, top, lines, n, blank);
      if (kept > bestKept) {
        bestKept = kept;
        best = { top, bottom: top + kept + lines - 1, lines };
      }
    }
    if (best === null) return null;
    const cost = this.scrollCost(back, best);
    return this.diffCostReaches(front, back, best, cost) ? best : null;
  }

  /** Remembers `back`'s row hashes for when it is the next frame's front. */
  private keep(back: ScreenGrid, n: number): void {
    this.keptHash.set(this.backHash.subarray(0, n));
    this.keptGrid = back;
    this.keptVersion = back.version;
    this.keptCount = n;
  }

  /** Cells written after the scroll: the freed rows' content, plus the sequence. */
  private scrollCost(back: ScreenGrid, s: Scroll): number {
    let cost = SCROLL_COST;
    for (let y = s.bottom - s.lines + 1; y <= s.bottom; y++) cost += back.rowInk(y);
    return cost;
  }

  /** Whether rewriting the region without the scroll (cells that differ, row by row) costs `limit` or more. */
  private diffCostReaches(front: ScreenGrid, back: ScreenGrid, s: Scroll, limit: number): boolean {
    let cost = 0;
    for (let y = s.top; y <= s.bottom && cost < limit; y++) {
      if (this.frontHash[y] !== this.backHash[y]) cost += back.rowDiffCount(front, y, y, limit - cost);
    }
    return cost >= limit;
  }

  /** How many rows from `top` match front rows `lines` further down; 0 if all of them are blank. */
  private keptRows(front: ScreenGrid, back: ScreenGrid, top: number, lines: number, n: number, blank: number): number {
    let kept = 0;
    let content = false;
    for (let y = top; y + lines < n; y++) {
      if (this.backHash[y] !== this.frontHash[y + lines] || !back.rowEquals(front, y, y + lines)) break;
      if (this.backHash[y] !== blank) content = true;
      kept++;
    }
    return content ? kept : 0;
  }
}

const blankHashes = new Map<number, number>();

/** The rowHash of a blank row `cols` wide. */
function blankRowHash(cols: number): number {
  let h = blankHashes.get(cols);
  if (h === undefined) {
    h = new ScreenGrid(cols, 1).rowHash(0);
    if (blankHashes.size < 64) blankHashes.set(cols, h);
  }
  return h;
}
