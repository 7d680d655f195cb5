// tmux's layout strings rebuilt from pane rectangles. The expected strings, checksums included,
// are what tmate 2.4.0 printed for `#{window_layout}` of the same panes.
import { describe, expect, it } from 'vitest';
import { layoutChecksum, layoutString, type PaneRect } from '../../../src/core/mux/layout-string.js';

const pane = (id: number, cols: number, rows: number, xoff: number, yoff: number): PaneRect => ({ id, cols, rows, xoff, yoff });

describe('layoutString', () => {
  it('writes one pane, panes above each other and nested splits as tmate does', () => {
    expect(layoutString(100, 29, [pane(2, 100, 29, 0, 0)])).toBe('ca7f,100x29,0,0,2');
    expect(layoutString(100, 29, [pane(0, 100, 14, 0, 0), pane(1, 100, 14, 0, 15)])).toBe('2093,100x29,0,0[100x14,0,0,0,100x14,0,15,1]');
    expect(layoutString(100, 29, [pane(0, 100, 14, 0, 0), pane(1, 50, 14, 0, 15), pane(2, 49, 14, 51, 15)])).toBe(
      '179c,100x29,0,0[100x14,0,0,0,100x14,0,15{50x14,0,15,1,49x14,51,15,2}]',
    );
  });

  it('keeps three panes side by side in one list, as tmux does', () => {
    const body = '80x24,0,0{26x24,0,0,0,26x24,27,0,1,26x24,54,0,2}';
    expect(layoutString(80, 24, [pane(0, 26, 24, 0, 0), pane(1, 26, 24, 27, 0), pane(2, 26, 24, 54, 0)])).toBe(`${layoutChecksum(body)},${body}`);
  });

  it('gives up on rectangles that do not tile the window (a zoomed pane over the others, a gap, nothing)', () => {
    expect(layoutString(100, 29, [pane(0, 100, 29, 0, 0), pane(1, 100, 14, 0, 15)])).toBeNull();
    expect(layoutString(100, 29, [pane(0, 100, 10, 0, 0), pane(1, 100, 14, 0, 15)])).toBeNull();
    expect(layoutString(100, 29, [])).toBeNull();
  });

  it('stays quick and bounded on a thousand one-row panes', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => pane(i, 10, 1, 0, 2 * i));
    expect(layoutString(10, 1999, rows)?.split('10x1,').length).toBe(1001);
  });
});

describe('layoutString of a zoomed window', () => {
  it('puts the zoomed pane where the others left room: the layout from before the zoom, as tmate reports it', () => {
    const others = [pane(0, 100, 14, 0, 0), pane(1, 50, 14, 0, 15)];
    expect(layoutString(100, 29, others, 2)).toBe('179c,100x29,0,0[100x14,0,0,0,100x14,0,15{50x14,0,15,1,49x14,51,15,2}]');
    // The middle one of three side by side.
    const body = '80x24,0,0{26x24,0,0,0,26x24,27,0,1,26x24,54,0,2}';
    expect(layoutString(80, 24, [pane(0, 26, 24, 0, 0), pane(2, 26, 24, 54, 0)], 1)).toBe(`${layoutChecksum(body)},${body}`);
    // No room left, or room for more than one pane: no layout.
    expect(layoutString(100, 29, [pane(0, 100, 29, 0, 0)], 1)).toBeNull();
    expect(layoutString(100, 29, [pane(0, 100, 9, 0, 10)], 1)).toBeNull();
  });
});
