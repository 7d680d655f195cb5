// tmux 2.4's preset layouts in the host engine (select-layout, next-layout, previous-layout, the
// C-b Space and M-1..M-5 bindings) and rotate-window: the pane rectangles each gives (those at
// 100×23 as tmate 2.4's own list-panes printed them for three panes), and what the window remembers.
import { describe, expect, it } from 'vitest';
import { exec, failures, lastLayout, makeEngine, type Harness } from './helpers.js';

type Rect = { id: number; cols: number; rows: number; xoff: number; yoff: number };

function panes(h: Harness): Rect[] {
  return [...(lastLayout(h.messages).windows[0]?.panes ?? [])].sort((a, b) => a.id - b.id);
}

/** An engine of `cols`×`rows` whose first window has `count` panes. */
function withPanes(count: number, cols: number, rows: number): Harness {
  const h = makeEngine({ cols, rows });
  for (let i = 1; i < count; i++) exec(h, 'split-window');
  return h;
}

describe('preset layouts', () => {
  const r = (id: number, cols: number, rows: number, xoff: number, yoff: number): Rect => ({ id, cols, rows, xoff, yoff });
  it.each([
    ['even-horizontal: equal widths, the rest to the last pane', 3, 100, 23, 'even-horizontal', [r(0, 32, 23, 0, 0), r(1, 32, 23, 33, 0), r(2, 34, 23, 66, 0)]],
    ['even-vertical, by an unambiguous prefix', 2, 80, 23, 'even-v', [r(0, 80, 11, 0, 0), r(1, 80, 11, 0, 12)]],
    ['main-horizontal: the first pane on top, squeezed to leave the others their minimum', 3, 100, 23, 'main-horizontal', [r(0, 100, 20, 0, 0), r(1, 49, 2, 0, 21), r(2, 50, 2, 50, 21)]],
    ['main-vertical: an 80-column main pane at the left, the others stacked beside it', 3, 100, 23, 'main-vertical', [r(0, 80, 23, 0, 0), r(1, 19, 11, 81, 0), r(2, 19, 11, 81, 12)]],
    ['main-vertical in a taller window: the last pane takes the odd row', 3, 100, 30, 'main-vertical', [r(0, 80, 30, 0, 0), r(1, 19, 14, 81, 0), r(2, 19, 15, 81, 15)]],
    ['tiled: a grid, the last column and row taking what is left', 4, 80, 24, 'tiled', [r(0, 39, 11, 0, 0), r(1, 40, 11, 40, 0), r(2, 39, 12, 0, 12), r(3, 40, 12, 40, 12)]],
    ['tiled with a pane left over: it spans the last row', 3, 100, 23, 'tiled', [r(0, 49, 11, 0, 0), r(1, 50, 11, 50, 0), r(2, 100, 11, 0, 12)]],
  ] as const)('%s', (_title, count, cols, rows, layout, expected) => {
    const h = withPanes(count, cols, rows);
    exec(h, 'select-layout', layout);
    expect(panes(h)).toEqual(expected);
  });

  it('next-layout and previous-layout step through the presets from the last one; unknown names fail as in tmux', () => {
    const h = withPanes(2, 80, 23);
    exec(h, 'next-layout'); // even-horizontal
    expect(panes(h).map((p) => [p.cols, p.rows])).toEqual([[39, 23], [40, 23]]);
    exec(h, 'next-layout'); // even-vertical
    expect(panes(h).map((p) => [p.cols, p.rows])).toEqual([[80, 11], [80, 11]]);
    exec(h, 'previous-layout'); // even-horizontal again
    expect(panes(h).map((p) => [p.cols, p.rows])).toEqual([[39, 23], [40, 23]]);
    exec(h, 'select-layout', 'main');
    exec(h, 'select-layout', 'diagonal');
    expect(failures(h.messages).map(([, cause]) => cause)).toEqual(["can't set layout: main", "can't set layout: diagonal"]);
  });

  it('rotate-window moves every pane one place and keeps the active place', () => {
    const h = withPanes(3, 100, 23);
    exec(h, 'select-layout', 'even-horizontal');
    const before = panes(h);
    const activeBefore = lastLayout(h.messages).windows[0]?.activePaneId;
    exec(h, 'rotate-window');
    const after = panes(h);
    // -U: pane 1 takes pane 0's place, 2 takes 1's, 0 takes 2's.
    expect(after.find((p) => p.id === 1)?.xoff).toBe(before.find((p) => p.id === 0)?.xoff);
    expect(after.find((p) => p.id === 0)?.xoff).toBe(before.find((p) => p.id === 2)?.xoff);
    const activeAfter = lastLayout(h.messages).windows[0]?.activePaneId;
    expect(after.find((p) => p.id === activeAfter)?.xoff).toBe(before.find((p) => p.id === activeBefore)?.xoff);
    exec(h, 'rotate-window', '-D');
    expect(panes(h)).toEqual(before);
  });
});
