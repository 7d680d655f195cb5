/**
 * tmux's layout string for a window (`#{window_layout}`, what `select-layout` takes back), built
 * from the pane rectangles a host sends: `CSUM,WxH,X,Y,ID` for one pane, `WxH,X,Y{…}` for panes
 * side by side and `WxH,X,Y[…]` for panes above each other, behind tmux's 16-bit checksum.
 *
 * Hosts send rectangles, not tmux's tree, so the tree is rebuilt by cutting the window along
 * separator lines that no pane crosses, widest groups first; that is the tree tmux keeps for any
 * layout made by splits, since a split in its parent's direction joins the parent's list.
 *
 * A zoomed window's hosts send the zoomed pane over the whole window and the others where they
 * were; tmux's `#{window_layout}` is then the layout from before the zoom. Given the zoomed pane
 * as `hole`, the others are laid out and the one area no pane covers is the zoomed pane's.
 *
 * Invariants: pure; returns null when the rectangles do not tile the area (overlapping panes or
 * gaps, or no single gap for the hole), never throws.
 */

export interface PaneRect {
  id: number;
  cols: number;
  rows: number;
  xoff: number;
  yoff: number;
}

/** Deepest tree rebuilt (a hostile host may send thousands of one-cell panes). */
const MAX_DEPTH = 64;

/** `hole`: the id of a pane left out of `panes` that fills the one area they leave free. */
export function layoutString(cols: number, rows: number, panes: readonly PaneRect[], hole?: number): string | null {
  const state = { hole, filled: false };
  const body = dumpCell({ xoff: 0, yoff: 0, cols, rows }, panes, 0, state);
  if (body === null || (hole !== undefined && !state.filled)) return null;
  return `${layoutChecksum(body)},${body}`;
}

/** tmux's layout checksum: rotate right by one bit and add each byte, 16 bits, as 4 hex digits. */
export function layoutChecksum(text: string): string {
  let sum = 0;
  for (const byte of new TextEncoder().encode(text)) {
    sum = ((sum >> 1) + ((sum & 1) << 15) + byte) & 0xffff;
  }
  return sum.toString(16).padStart(4, '0');
}

interface Area {
  xoff: number;
  yoff: number;
  cols: number;
  rows: number;
}

interface Hole {
  hole: number | undefined;
  filled: boolean;
}

function dumpCell(area: Area, panes: readonly PaneRect[], depth: number, hole: Hole): string | null {
  const head = `${area.cols}x${area.rows},${area.xoff},${area.yoff}`;
  if (panes.length === 0 && hole.hole !== undefined && !hole.filled) {
    hole.filled = true;
    return `${head},${hole.hole}`;
  }
  if (panes.length === 1) {
    const pane = panes[0] as PaneRect;
    const fits = pane.xoff === area.xoff && pane.yoff === area.yoff && pane.cols === area.cols && pane.rows === area.rows;
    if (fits) return `${head},${pane.id}`;
    if (hole.hole === undefined || hole.filled) return null;
  }
  if (panes.length === 0 || depth >= MAX_DEPTH) return null;
  for (const across of [true, false]) {
    const parts = splitArea(area, panes, across, hole.hole !== undefined);
    if (parts === null) continue;
    const children: string[] = [];
    for (const part of parts) {
      const child = dumpCell(part.area, part.panes, depth + 1, hole);
      if (child === null) return null;
      children.push(child);
    }
    return across ? `${head}{${children.join(',')}}` : `${head}[${children.join(',')}]`;
  }
  return null;
}

/**
 * The area cut at every separator line (one cell wide) that no pane crosses: columns when
 * `across` (panes side by side), rows otherwise; null when there is no such line. With a hole to
 * fill, the line before a pane's first cell is a candidate too (the hole's far side).
 */
function splitArea(area: Area, panes: readonly PaneRect[], across: boolean, withHole: boolean): { area: Area; panes: PaneRect[] }[] | null {
  const start = across ? area.xoff : area.yoff;
  const size = across ? area.cols : area.rows;
  const lo = (p: PaneRect): number => (across ? p.xoff : p.yoff);
  const hi = (p: PaneRect): number => lo(p) + (across ? p.cols : p.rows);
  const candidates = withHole ? [...panes.map(hi), ...panes.map((p) => lo(p) - 1)] : panes.map(hi);
  const cuts = [...new Set(candidates)]
    .filter((at) => at > start && at < start + size && panes.every((p) => hi(p) <= at || lo(p) > at))
    .sort((a, b) => a - b);
  if (cuts.length === 0) return null;
  const parts: { area: Area; panes: PaneRect[] }[] = [];
  let from = start;
  for (const end of [...cuts, start + size]) {
    const inside = panes.filter((p) => lo(p) >= from && hi(p) <= end);
    const length = end - from;
    const part = across
      ? { xoff: from, yoff: area.yoff, cols: length, rows: area.rows }
      : { xoff: area.xoff, yoff: from, cols: area.cols, rows: length };
    parts.push({ area: part, panes: inside });
    from = end + 1;
  }
  return parts.reduce((n, part) => n + part.panes.length, 0) === panes.length ? parts : null;
}
