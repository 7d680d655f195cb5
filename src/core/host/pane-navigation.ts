/**
 * Finding panes by position inside a window, as tmux 2.4 does for select-pane -U/-D/-L/-R and for
 * the `top`/`bottom`/`left`/`right`… target words: the neighbours are the visible panes touching
 * the edge across the border (wrapping round at the window edge); among several, the most
 * recently active wins.
 *
 * Invariant: pure functions of the window's current geometry; never change anything.
 */
import type { HostPane } from './host-pane.js';
import type { HostWindow } from './host-window.js';

export type Direction = 'up' | 'down' | 'left' | 'right';

/** True when [start, end] (inclusive) touches the span from `low` to `high`, as tmux tests it. */
function overlaps(start: number, end: number, low: number, high: number): boolean {
  return (start < low && end > high) || (start >= low && start <= high) || (end >= low && end <= high);
}

function mostRecent(list: HostPane[]): HostPane | null {
  let best: HostPane | null = null;
  for (const pane of list) if (best === null || pane.activePoint > best.activePoint) best = pane;
  return best;
}

/** The pane next to `pane` in `direction`, or null. */
export function findNeighbour(window: HostWindow, pane: HostPane, direction: Direction): HostPane | null {
  if (!window.isVisible(pane)) return null;
  const vertical = direction === 'up' || direction === 'down';
  let edge: number;
  if (direction === 'up') edge = pane.yoff === 0 ? window.sy + 1 : pane.yoff;
  else if (direction === 'left') edge = pane.xoff === 0 ? window.sx + 1 : pane.xoff;
  else if (direction === 'down') edge = pane.yoff + pane.sy + 1 >= window.sy ? 0 : pane.yoff + pane.sy + 1;
  else edge = pane.xoff + pane.sx + 1 >= window.sx ? 0 : pane.xoff + pane.sx + 1;
  const low = vertical ? pane.xoff : pane.yoff;
  const high = vertical ? pane.xoff + pane.sx : pane.yoff + pane.sy;
  const found = window.panes.filter((next) => {
    if (next === pane || !window.isVisible(next)) return false;
    const touches =
      direction === 'up' ? next.yoff + next.sy + 1 === edge
      : direction === 'down' ? next.yoff === edge
      : direction === 'left' ? next.xoff + next.sx + 1 === edge
      : next.xoff === edge;
    if (!touches) return false;
    const start = vertical ? next.xoff : next.yoff;
    const end = start + (vertical ? next.sx : next.sy) - 1;
    return overlaps(start, end, low, high);
  });
  return mostRecent(found);
}

/** The first visible pane covering cell (x, y), borders included on the right and bottom. */
export function paneAt(window: HostWindow, x: number, y: number): HostPane | null {
  for (const pane of window.panes) {
    if (!window.isVisible(pane)) continue;
    if (x < pane.xoff || x > pane.xoff + pane.sx) continue;
    if (y < pane.yoff || y > pane.yoff + pane.sy) continue;
    return pane;
  }
  return null;
}

const POSITIONS: ReadonlyMap<string, (w: HostWindow) => [number, number]> = new Map([
  ['top', (w: HostWindow): [number, number] => [Math.floor(w.sx / 2), 0]],
  ['bottom', (w: HostWindow): [number, number] => [Math.floor(w.sx / 2), w.sy - 1]],
  ['left', (w: HostWindow): [number, number] => [0, Math.floor(w.sy / 2)]],
  ['right', (w: HostWindow): [number, number] => [w.sx - 1, Math.floor(w.sy / 2)]],
  ['top-left', (): [number, number] => [0, 0]],
  ['top-right', (w: HostWindow): [number, number] => [w.sx - 1, 0]],
  ['bottom-left', (w: HostWindow): [number, number] => [0, w.sy - 1]],
  ['bottom-right', (w: HostWindow): [number, number] => [w.sx - 1, w.sy - 1]],
]);

/** A pane named by position ("top", "bottom-left"…, case-insensitive), or null. */
export function paneByPosition(window: HostWindow, word: string): HostPane | null {
  const position = POSITIONS.get(word.toLowerCase());
  if (position === undefined) return null;
  const [x, y] = position(window);
  return paneAt(window, x, y);
}
