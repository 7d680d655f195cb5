/**
 * The size budget: the size asked of a host, with one more window, stays within the relay's cell
 * limit, is never larger than asked, keeps its shape; windows and panes beyond the limits, and a
 * window that would not fit yet, are refused with a reason.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { budgetedSize, noRoomFor } from '../../../src/core/mux/size-budget.js';
import { DEFAULT_LIMITS, layoutViolation } from '../../../src/core/mux/session-replica.js';
import type { LayoutWindow } from '../../../src/core/protocol/tmate/messages.js';

describe('size budget', () => {
  it('leaves sizes that fit alone', () => {
    expect(budgetedSize(200, 60, 3, 4_000_000)).toEqual([200, 60]);
    expect(budgetedSize(1000, 999, 3, 4_000_000)).toEqual([1000, 999]);
  });

  it('shrinks a 1000×999 session of five windows so that six still fit, keeping its shape', () => {
    const [cols, rows] = budgetedSize(1000, 999, 5, 4_000_000);
    expect(6 * cols * rows).toBeLessThanOrEqual(4_000_000);
    expect(cols * rows).toBeGreaterThan(0.98 * (4_000_000 / 6));
    expect(Math.abs(cols - rows)).toBeLessThanOrEqual(2);
  });

  it('always gives a size within the budget, at least 1×1, never larger than asked', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1000, max: 8_000_000 }), (cols, rows, windows, max) => {
        const [c, r] = budgetedSize(cols, rows, windows, max);
        expect(c).toBeGreaterThanOrEqual(1);
        expect(r).toBeGreaterThanOrEqual(1);
        expect(c).toBeLessThanOrEqual(cols);
        expect(r).toBeLessThanOrEqual(rows);
        if (max / (windows + 1) >= 1) expect((windows + 1) * c * r).toBeLessThanOrEqual(max);
      }),
    );
  });

  it('so that the host, adding one window at that size, stays within what the replica accepts', () => {
    const windows = 7;
    const [cols, rows] = budgetedSize(1000, 999, windows, DEFAULT_LIMITS.maxLayoutCells!);
    const layout: LayoutWindow[] = Array.from({ length: windows + 1 }, (_, i) => ({ index: i, name: 'w', activePaneId: i, panes: [{ id: i, cols, rows, xoff: 0, yoff: 0 }] }));
    expect(layoutViolation(DEFAULT_LIMITS, cols, rows, layout)).toBeNull();
    const unbudgeted = Array.from({ length: windows + 1 }, (_, i) => ({ ...layout[i]!, panes: [{ id: i, cols: 1000, rows: 999, xoff: 0, yoff: 0 }] }));
    expect(layoutViolation(DEFAULT_LIMITS, 1000, 999, unbudgeted)).toMatch(/cells of panes exceed/);
  });

  it('refuses windows and panes beyond the limits, and a window that does not fit yet', () => {
    const use = { windows: 3, panes: 5, cells: 3_000_000, windowCells: 900_000 };
    expect(noRoomFor('window', use, 256, 4_000_000)).toBeNull();
    expect(noRoomFor('pane', use, 256, 4_000_000)).toBeNull();
    expect(noRoomFor('window', { ...use, windowCells: 1_000_001 }, 256, 4_000_000)).toMatch(/no room for another window/);
    expect(noRoomFor('pane', { ...use, windowCells: 1_000_001 }, 256, 4_000_000)).toBeNull(); // a split adds no cells
    expect(noRoomFor('window', { ...use, windows: 256, panes: 256 }, 256, 4_000_000)).toBe('no more windows: this relay keeps at most 256');
    expect(noRoomFor('pane', { ...use, panes: 256 }, 256, 4_000_000)).toBe('no more panes: this relay keeps at most 256 panes');
  });
});
