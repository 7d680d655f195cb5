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
  it('even-horizontal: equal widths, the rest to the last pane', () => {
    const h = withPanes(3, 100, 23);
    exec(h, 'select-layout', 'even-horizontal');
    expect(panes(h)).toEqual([
      { id: 0, cols: 32, rows: 23, xoff: 0, yoff: 0 },
      { id: 1, cols: 32, rows: 23, xoff: 33, yoff: 0 },
      { id: 2, cols: 34, rows: 23, xoff: 66, yoff: 0 },
    ]);
  });

  it('even-vertical, by an unambiguous prefix', () => {
    const h = withPanes(2, 80, 23);
    exec(h, 'select-layout', 'even-v');
    expect(panes(h)).toEqual([
      { id: 0, cols: 80, rows: 11, xoff: 0, yoff: 0 },
      { id: 1, cols: 80, rows: 11, xoff: 0, yoff: 12 },
    ]);
  });

  it('main-horizontal: the first pane on top, squeezed to leave the others their minimum', () => {
    const h = withPanes(3, 100, 23);
    exec(h, 'select-layout', 'main-horizontal');
    expect(panes(h)).toEqual([
      { id: 0, cols: 100, rows: 20, xoff: 0, yoff: 0 },
      { id: 1, cols: 49, rows: 2, xoff: 0, yoff: 21 },
      { id: 2, cols: 50, rows: 2, xoff: 50, yoff: 21 },
    ]);
  });

  it('main-vertical: an 80-column main pane at the left, the others stacked beside it', () => {
    const h = withPanes(3, 100, 23);
    exec(h, 'select-layout', 'main-vertical');
    expect(panes(h)).toEqual([
      { id: 0, cols: 80, rows: 23, xoff: 0, yoff: 0 },
      { id: 1, cols: 19, rows: 11, xoff: 81, yoff: 0 },
      { id: 2, cols: 19, rows: 11, xoff: 81, yoff: 12 },
    ]);
    const taller = withPanes(3, 100, 30);
    exec(taller, 'select-layout', 'main-vertical');
    expect(panes(taller).map((p) => [p.cols, p.rows, p.yoff])).toEqual([[80, 30, 0], [19, 14, 0], [19, 15, 15]]);
  });

  it('tiled with a pane left over: it spans the last row', () => {
    const h = withPanes(3, 100, 23);
    exec(h, 'select-layout', 'tiled');
    expect(panes(h)).toEqual([
      { id: 0, cols: 49, rows: 11, xoff: 0, yoff: 0 },
      { id: 1, cols: 50, rows: 11, xoff: 50, yoff: 0 },
      { id: 2, cols: 100, rows: 11, xoff: 0, yoff: 12 },
    ]);
  });

  it('tiled: a grid, the last column and row taking what is left', () => {
    const h = withPanes(4, 80, 24);
    exec(h, 'select-layout', 'tiled');
    expect(panes(h)).toEqual([
      { id: 0, cols: 39, rows: 11, xoff: 0, yoff: 0 },
      { id: 1, cols: 40, rows: 11, xoff: 40, yoff: 0 },
      { id: 2, cols: 39, rows: 12, xoff: 0, yoff: 12 },
      { id: 3, cols: 40, rows: 12, xoff: 40, yoff: 12 },
    ]);
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
