/**
 * Scrolling output: the encoder moves rows that scrolled with one terminal scroll (DECSTBM + LF)
 * instead of rewriting them, only when that is cheaper, and the viewer's screen always ends up
 * exactly as a fresh full render — single panes, stacked and side-by-side splits, copy-mode-free
 * random output with colours, wide characters and clears.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Terminal } from '@xterm/headless';
import type { WindowScene } from '../../../src/core/render/scene.js';
import { ViewerRenderer } from '../../../src/core/render/viewer-renderer.js';
import { ScreenGrid } from '../../../src/core/render/screen-grid.js';
import { ScrollDetector } from '../../../src/core/render/scroll-detector.js';
import { diffRegion, feed, makeTerm, pane, replay, scene, screen, singlePaneWindow, write } from './helpers.js';

const SCROLL_REGION = /\x1b\[\d+;\d+r/;

/** Distinct, varied lines: a cell diff of one against the next rewrites most of the row. */
function variedLine(i: number): string {
  const words = ['compiling', 'src/core/render/pane-painter.ts', 'error TS2345:', 'warning: unused', 'PASS', 'FAIL', '漢字', 'at Object.<anonymous>'];
  let s = `\x1b[3${i % 8}m${i}\x1b[0m `;
  for (let k = 0; k < 5; k++) s += `${words[(i * 7 + k * 3) % words.length]} `;
  return s;
}

/** The screen a viewer would show after a fresh attach, for comparison. */
async function freshViewer(window: WindowScene, cols: number, rows: number): Promise<Terminal> {
  const fresh = new ViewerRenderer(cols, rows);
  return replay(cols, rows, fresh.enter() + fresh.render(scene(window)));
}

describe('scrolling output', () => {
  it('scrolls the window area for a new line instead of rewriting the pane, status line untouched', async () => {
    const t = makeTerm(80, 20);
    for (let i = 0; i < 30; i++) await write(t, `${variedLine(i)}\r\n`);
    const r = new ViewerRenderer(80, 21);
    const first = r.enter() + r.render(scene(singlePaneWindow(t)));
    const viewer = await replay(80, 21, first);
    await write(t, `${variedLine(30)}\r\n`);
    const frame = r.render(scene(singlePaneWindow(t)));
    // Rows 1..19 move up (row 20, the fresh prompt line, is blank before and after).
    expect(frame).toContain('\x1b[1;19r');
    expect(frame.length).toBeLessThan(first.length / 5);
    await feed(viewer, frame);
    expect(diffRegion(await freshViewer(singlePaneWindow(t), 80, 21), 0, 0, viewer, 0, 0, 80, 21)).toEqual([]);
    expect(screen(viewer)[20]!.startsWith('[tmate] 0:bash*')).toBe(true);
  });

  it('keeps diffing rows that differ in a few cells (seq-like output), where a scroll costs more', async () => {
    const t = makeTerm(40, 10);
    for (let i = 0; i < 20; i++) await write(t, `${1000000 + i}\r\n`);
    const r = new ViewerRenderer(40, 11);
    const viewer = await replay(40, 11, r.enter() + r.render(scene(singlePaneWindow(t))));
    await write(t, '1000020\r\n');
    const frame = r.render(scene(singlePaneWindow(t)));
    expect(frame).not.toMatch(SCROLL_REGION);
    await feed(viewer, frame);
    expect(diffRegion(t, 0, 0, viewer, 0, 0, 40, 10)).toEqual([]);
  });

  it('scrolls only the rows of a bottom pane when the top pane stays (stacked split)', async () => {
    const top = makeTerm(60, 5);
    const bottom = makeTerm(60, 10);
    await write(top, 'top pane stays put');
    for (let i = 0; i < 12; i++) await write(bottom, `${variedLine(i)}\r\n`);
    const window: WindowScene = {
      cols: 60, rows: 16, activePaneId: 2,
      panes: [pane(1, top, { xoff: 0, yoff: 0, cols: 60, rows: 5 }), pane(2, bottom, { xoff: 0, yoff: 6, cols: 60, rows: 10 })],
    };
    const r = new ViewerRenderer(60, 17);
    const viewer = await replay(60, 17, r.enter() + r.render(scene(window)));
    await write(bottom, `${variedLine(12)}\r\n${variedLine(13)}\r\n`);
    const frame = r.render(scene(window));
    // Only the bottom pane's rows (7..) move; its last row is the blank cursor line.
    expect(frame).toContain('\x1b[7;15r');
    await feed(viewer, frame);
    expect(diffRegion(await freshViewer(window, 60, 17), 0, 0, viewer, 0, 0, 60, 17)).toEqual([]);
    expect(screen(viewer)[0]!.trimEnd()).toBe('top pane stays put');
  });

  it('never scrolls side-by-side panes together when only one of them scrolled', async () => {
    const left = makeTerm(30, 12);
    const right = makeTerm(29, 12);
    for (let i = 0; i < 14; i++) await write(left, `${variedLine(i).slice(0, 40)}\r\n`);
    await write(right, 'right pane\r\nstays');
    const window: WindowScene = {
      cols: 60, rows: 12, activePaneId: 1,
      panes: [pane(1, left, { xoff: 0, yoff: 0, cols: 30, rows: 12 }), pane(2, right, { xoff: 31, yoff: 0, cols: 29, rows: 12 })],
    };
    const r = new ViewerRenderer(60, 13);
    const viewer = await replay(60, 13, r.enter() + r.render(scene(window)));
    await write(left, `${variedLine(14).slice(0, 40)}\r\n`);
    const frame = r.render(scene(window));
    expect(frame).not.toMatch(SCROLL_REGION);
    await feed(viewer, frame);
    expect(diffRegion(await freshViewer(window, 60, 13), 0, 0, viewer, 0, 0, 60, 13)).toEqual([]);
  });

  it('always reproduces the full render with scrolling random output, in every layout (randomized)', async () => {
    let seed = 777;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const pieces = ['\r\n', '\r\n', '\r\n\r\n\r\n', 'word ', '漢字', '😀', '\x1b[1;31m', '\x1b[44m', '\x1b[0m', '\x1b[K', '\x1b[2J', 'é\u0301'];
    for (const layout of ['single', 'stacked', 'side-by-side'] as const) {
      const a = makeTerm(layout === 'side-by-side' ? 25 : 50, layout === 'stacked' ? 6 : 14);
      const b = makeTerm(layout === 'side-by-side' ? 24 : 50, layout === 'stacked' ? 7 : 14);
      const window: WindowScene = layout === 'single' ? singlePaneWindow(a) : {
        cols: 50, rows: 14, activePaneId: 1,
        panes: layout === 'stacked'
          ? [pane(1, a, { xoff: 0, yoff: 0, cols: 50, rows: 6 }), pane(2, b, { xoff: 0, yoff: 7, cols: 50, rows: 7 })]
          : [pane(1, a, { xoff: 0, yoff: 0, cols: 25, rows: 14 }), pane(2, b, { xoff: 26, yoff: 0, cols: 24, rows: 14 })],
      };
      const r = new ViewerRenderer(50, 15);
      const viewer = await replay(50, 15, r.enter() + r.render(scene(window)));
      let scrolled = 0;
      for (let step = 0; step < 50; step++) {
        const target = layout !== 'single' && rand(2) === 0 ? b : a;
        let chunk = '';
        for (let k = rand(10); k >= 0; k--) chunk += pieces[rand(pieces.length)] ?? variedLine(step);
        chunk += `${variedLine(step + rand(100))}\r\n`;
        await write(target, chunk);
        const frame = r.render(scene(window));
        if (SCROLL_REGION.test(frame)) scrolled++;
        await feed(viewer, frame);
        const expected = await freshViewer(window, 50, 15);
        expect(diffRegion(expected, 0, 0, viewer, 0, 0, 50, 15), `${layout} step ${step}`).toEqual([]);
      }
      if (layout !== 'side-by-side') expect(scrolled, `${layout}: frames that scrolled`).toBeGreaterThan(5);
    }
  });

  it('reuses the last back grid\'s row hashes for the next front only while that grid is unchanged', () => {
    const cols = 12;
    const rows = 6;
    const grid = (lines: string[]): ScreenGrid => {
      const g = new ScreenGrid(cols, rows);
      lines.forEach((line, y) => g.putText(0, y, line, cols, 0, 0, 0));
      return g;
    };
    // Rows of one repeated letter: every row differs from the next in all its cells, so a scroll is cheaper.
    const letters = (from: number): string[] => Array.from({ length: rows }, (_, y) => String.fromCharCode(from + y).repeat(cols));
    const expectedScroll = { top: 0, bottom: rows - 1, lines: 1 };

    // Unchanged: the kept hashes of `middle` serve as front hashes in the next call.
    const detector = new ScrollDetector();
    const middle = grid(letters(0x61));
    detector.find(grid([]), middle, rows);
    const hashed = vi.spyOn(middle, 'rowHash');
    expect(detector.find(middle, grid(letters(0x62)), rows)).toEqual(expectedScroll);
    expect(hashed).not.toHaveBeenCalled();

    // Changed after its hashes were kept: they must not be used (they would hide the scroll).
    const changed = new ScrollDetector();
    const reused = grid(letters(0x61));
    changed.find(grid([]), reused, rows);
    letters(0x6b).forEach((line, y) => reused.putText(0, y, line, cols, 0, 0, 0));
    expect(changed.find(reused, grid(letters(0x6c)), rows)).toEqual(expectedScroll);
    expect(new ScrollDetector().find(reused, grid(letters(0x6c)), rows)).toEqual(expectedScroll);
  });
});
