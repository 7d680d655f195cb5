/** The tiling tree on its own: tmux 2.4's split, close, resize and crop rules. */
import { describe, expect, it } from 'vitest';
import { PaneLayout } from '../../../src/core/host/layout.js';

function geo(layout: PaneLayout, sx = layout.sx, sy = layout.sy): string {
  return [...layout.geometry(sx, sy)].map(([id, g]) => `${id}:${g.sx}x${g.sy}@${g.xoff},${g.yoff}`).join(' ');
}

describe('PaneLayout', () => {
  it('splits in half with a border cell; odd sizes give the extra cell to the first pane', () => {
    const layout = new PaneLayout(0, 80, 23);
    expect(layout.split(0, 1, 'leftright')).toBe(true);
    expect(geo(layout)).toBe('0:40x23@0,0 1:39x23@41,0');
    expect(layout.split(1, 2, 'topbottom')).toBe(true);
    expect(geo(layout)).toBe('0:40x23@0,0 1:39x11@41,0 2:39x11@41,12');
    expect(layout.split(1, 3, 'topbottom', -1, true)).toBe(true);
    expect(layout.paneIds()).toEqual([0, 3, 1, 2]);
    expect(geo(layout)).toBe('0:40x23@0,0 3:39x5@41,0 1:39x5@41,6 2:39x11@41,12');
  });

  it('refuses to split below two cells per pane', () => {
    const layout = new PaneLayout(0, 4, 5);
    expect(layout.split(0, 1, 'leftright')).toBe(false);
    expect(layout.split(0, 1, 'topbottom')).toBe(true);
    expect(geo(layout)).toBe('0:4x2@0,0 1:4x2@0,3');
    expect(layout.split(1, 2, 'topbottom')).toBe(false);
  });

  it('closing gives the space to the previous sibling (the next one for the first) and collapses nodes', () => {
    const layout = new PaneLayout(0, 80, 23);
    layout.split(0, 1, 'leftright');
    layout.split(1, 2, 'topbottom');
    layout.remove(1);
    expect(geo(layout)).toBe('0:40x23@0,0 2:39x23@41,0');
    layout.remove(0);
    expect(geo(layout)).toBe('2:80x23@0,0');
    layout.remove(2);
    expect(geo(layout)).toBe('2:80x23@0,0');
  });

  it('resizes one cell at a time over the children, never below the minimum, then crops', () => {
    const layout = new PaneLayout(0, 11, 5);
    layout.split(0, 1, 'leftright');
    layout.split(1, 2, 'leftright');
    expect(geo(layout)).toBe('0:5x5@0,0 1:2x5@6,0 2:2x5@9,0');
    layout.resize(11, 5, 16, 5);
    expect(geo(layout)).toBe('0:7x5@0,0 1:4x5@8,0 2:3x5@13,0');
    layout.resize(16, 5, 6, 5); // 8 cells at least: the last pane ends up outside the window
    expect(geo(layout, 6, 5)).toBe('0:2x5@0,0 1:2x5@3,0 2:2x5@6,0');
    layout.resize(6, 5, 30, 5);
    expect(geo(layout)).toBe('0:10x5@0,0 1:9x5@11,0 2:9x5@21,0');
  });

  it('resizePane moves the border toward the neighbour; the last pane moves the border before it', () => {
    const layout = new PaneLayout(0, 80, 23);
    layout.split(0, 1, 'leftright');
    layout.resizePane(0, 'leftright', 10);
    expect(geo(layout)).toBe('0:50x23@0,0 1:29x23@51,0');
    layout.resizePane(1, 'leftright', -100);
    expect(geo(layout)).toBe('0:2x23@0,0 1:77x23@3,0');
    layout.resizePaneTo(1, 'leftright', 20);
    expect(geo(layout)).toBe('0:59x23@0,0 1:20x23@60,0');
    layout.resizePane(0, 'topbottom', 5);
    expect(geo(layout)).toBe('0:59x23@0,0 1:20x23@60,0');
  });
});
