/**
 * Window-area layout: panes at their offsets, borders and junctions, the active border, zoom, the
 * area outside a smaller window, clipping, the waiting text, and the cursor.
 */
import { describe, expect, it } from 'vitest';
import type { WindowScene } from '../../../src/core/render/scene.js';
import { isCursorHidden } from '../../../src/core/render/pane-painter.js';
import { ViewerRenderer } from '../../../src/core/render/viewer-renderer.js';
import {
  cellAt, fgOf, makeTerm, pane, replay, scene, screen, singlePaneWindow, status, write,
} from './helpers.js';

const GREEN = 2;

async function show(cols: number, rows: number, win: WindowScene | null, waiting?: string) {
  const r = new ViewerRenderer(cols, rows);
  const out = r.enter() + r.render(scene(win, status(), waiting));
  return { r, out, viewer: await replay(cols, rows, out) };
}

/** Two panes side by side in an 81×10 window: 40 | border | 40. */
async function verticalSplit(activePaneId: number): Promise<WindowScene> {
  const a = makeTerm(40, 10);
  const b = makeTerm(40, 10);
  await write(a, 'left');
  await write(b, 'right');
  return {
    cols: 81, rows: 10, activePaneId,
    panes: [pane(1, a, { xoff: 0, yoff: 0, cols: 40, rows: 10 }), pane(2, b, { xoff: 41, yoff: 0, cols: 40, rows: 10 })],
  };
}

describe('layout', () => {
  it('shows one pane full screen with the status line on the last row', async () => {
    const t = makeTerm(80, 23);
    await write(t, 'root@vm:~# echo hi\r\nhi\r\nroot@vm:~# ');
    const { viewer } = await show(80, 24, singlePaneWindow(t));
    const s = screen(viewer);
    expect(s[0]!.trimEnd()).toBe('root@vm:~# echo hi');
    expect(s[1]!.trimEnd()).toBe('hi');
    expect(s[2]!.trimEnd()).toBe('root@vm:~#');
    expect(s[23]!.startsWith('[tmate] 0:bash*')).toBe(true);
    expect(viewer.buffer.active.cursorX).toBe(11);
    expect(viewer.buffer.active.cursorY).toBe(2);
  });

  it('draws a vertical split with │ and highlights the active half like tmux', async () => {
    const { viewer } = await show(81, 11, await verticalSplit(1));
    const s = screen(viewer);
    for (let y = 0; y < 10; y++) expect(s[y]![40]).toBe('│');
    expect(s[0]!.slice(0, 4)).toBe('left');
    expect(s[0]!.slice(41, 46)).toBe('right');
    // Two panes: the active (left) pane's half of the shared border is green, the other half not.
    expect(fgOf(cellAt(viewer, 40, 0))).toBe(GREEN);
    expect(fgOf(cellAt(viewer, 40, 9))).toBe(-1);
    const { viewer: v2 } = await show(81, 11, await verticalSplit(2));
    expect(fgOf(cellAt(v2, 40, 0))).toBe(-1);
    expect(fgOf(cellAt(v2, 40, 9))).toBe(GREEN);
  });

  it('draws a horizontal split with ─', async () => {
    const a = makeTerm(80, 11);
    const b = makeTerm(80, 11);
    await write(a, 'top');
    await write(b, 'bottom');
    const win: WindowScene = {
      cols: 80, rows: 23, activePaneId: 2,
      panes: [pane(1, a, { xoff: 0, yoff: 0, cols: 80, rows: 11 }), pane(2, b, { xoff: 0, yoff: 12, cols: 80, rows: 11 })],
    };
    const { viewer } = await show(80, 24, win);
    const s = screen(viewer);
    expect(s[11]).toBe('─'.repeat(80));
    expect(s[0]!.trimEnd()).toBe('top');
    expect(s[12]!.trimEnd()).toBe('bottom');
    expect(fgOf(cellAt(viewer, 79, 11))).toBe(GREEN);
    expect(fgOf(cellAt(viewer, 0, 11))).toBe(-1);
  });

  it('draws junctions ├ ┤ ┬ ┴ ┼ for a four-pane grid and greens the active ring', async () => {
    const g = { cols: 20, rows: 5 };
    const terms = [makeTerm(20, 5), makeTerm(20, 5), makeTerm(20, 5), makeTerm(20, 5)];
    const win: WindowScene = {
      cols: 41, rows: 11, activePaneId: 4,
      panes: [
        pane(1, terms[0]!, { xoff: 0, yoff: 0, ...g }), pane(2, terms[1]!, { xoff: 21, yoff: 0, ...g }),
        pane(3, terms[2]!, { xoff: 0, yoff: 6, ...g }), pane(4, terms[3]!, { xoff: 21, yoff: 6, ...g }),
      ],
    };
    const { viewer } = await show(41, 12, win);
    const s = screen(viewer);
    expect(s[5]).toBe(`${'─'.repeat(20)}┼${'─'.repeat(20)}`);
    expect(s[0]![20]).toBe('│');
    expect(s[10]![20]).toBe('│');
    // Pane 4 (bottom right) is active: its top border and left border are green, pane 1's are not.
    expect(fgOf(cellAt(viewer, 30, 5))).toBe(GREEN);
    expect(fgOf(cellAt(viewer, 20, 8))).toBe(GREEN);
    expect(fgOf(cellAt(viewer, 5, 5))).toBe(-1);
    expect(fgOf(cellAt(viewer, 20, 2))).toBe(-1);
  });

  it('draws ├ ┤ ┬ ┴ where a split meets another split', async () => {
    // Left pane full height; right column split in two.
    const win: WindowScene = {
      cols: 41, rows: 11, activePaneId: 1,
      panes: [
        pane(1, makeTerm(20, 11), { xoff: 0, yoff: 0, cols: 20, rows: 11 }),
        pane(2, makeTerm(20, 5), { xoff: 21, yoff: 0, cols: 20, rows: 5 }),
        pane(3, makeTerm(20, 5), { xoff: 21, yoff: 6, cols: 20, rows: 5 }),
      ],
    };
    const { viewer } = await show(41, 12, win);
    expect(screen(viewer)[5]).toBe(`${' '.repeat(20)}├${'─'.repeat(20)}`);
    // Top row split at a horizontal border: ┬ / ┴ appear on a window smaller than the viewer.
    const { viewer: big } = await show(50, 15, win);
    const s = screen(big);
    expect(s[11]!.slice(0, 42)).toBe(`${'─'.repeat(20)}┴${'─'.repeat(20)}┘`);
    expect(s[5]![41]).toBe('┤');
  });

  it('draws a zoomed pane alone', async () => {
    const a = makeTerm(80, 23);
    const b = makeTerm(39, 23);
    await write(a, 'zoomed');
    await write(b, 'hidden');
    const win: WindowScene = {
      cols: 80, rows: 23, activePaneId: 1,
      panes: [pane(1, a, { xoff: 0, yoff: 0, cols: 80, rows: 23 }), pane(2, b, { xoff: 41, yoff: 0, cols: 39, rows: 23 })],
    };
    const { viewer } = await show(80, 24, win);
    const s = screen(viewer);
    expect(s[0]!.trimEnd()).toBe('zoomed');
    expect(s.join('\n')).not.toContain('hidden');
    expect(s.join('\n')).not.toContain('│');
  });

  it('marks the area outside a smaller window like tmux: closing border, · filler, size note', async () => {
    const t = makeTerm(40, 10);
    await write(t, 'small');
    const { viewer } = await show(60, 16, singlePaneWindow(t));
    const s = screen(viewer);
    expect(s[0]!.slice(0, 5)).toBe('small');
    expect(s[0]![40]).toBe('│');
    expect(s[0]!.slice(41)).toBe('·'.repeat(19));
    expect(s[10]).toBe(`${'─'.repeat(40)}┘${'·'.repeat(19)}`);
    expect(s[11]).toBe('·'.repeat(60));
    const note = '(size 40x10 from a smaller client)';
    expect(s[14]).toBe('·'.repeat(60 - note.length) + note);
    expect(s[15]!.startsWith('[tmate] 0:bash*')).toBe(true);
    // Single pane: its ring is the active border.
    expect(fgOf(cellAt(viewer, 40, 3))).toBe(GREEN);
    expect(fgOf(cellAt(viewer, 50, 3))).toBe(-1);
  });

  it('clips a window larger than the viewer without wrapping or scrolling', async () => {
    const t = makeTerm(100, 40);
    const lines: string[] = [];
    for (let i = 0; i < 40; i++) lines.push(`${String(i).padStart(2, '0')}${'x'.repeat(97)}E`);
    await write(t, lines.join('\r\n'));
    const { viewer, out } = await show(50, 20, singlePaneWindow(t));
    const s = screen(viewer);
    expect(out).toContain('\x1b[?7l');
    for (let y = 0; y < 19; y++) expect(s[y]).toBe(`${String(y).padStart(2, '0')}${'x'.repeat(48)}`);
    expect(s[19]!.startsWith('[tmate] 0:bash*')).toBe(true);
    expect(viewer.buffer.active.baseY).toBe(0);
    // The pane's cursor is outside the viewer: hidden.
    expect(out).not.toContain('\x1b[?25h');
    expect(isCursorHidden(viewer)).toBe(true);
  });

  it('shows the waiting text centred when there is no window yet', async () => {
    const { viewer } = await show(40, 11, null, 'Waiting for the host…');
    const s = screen(viewer);
    expect(s[4]!.trim()).toBe('Waiting for the host…');
    expect(s[4]!.indexOf('W')).toBe(Math.floor((40 - 21) / 2));
    expect(s[10]!.startsWith('[tmate] 0:bash*')).toBe(true);
  });

  it('shows the alternate buffer when the pane application uses it', async () => {
    const t = makeTerm(40, 10);
    await write(t, 'shell prompt\r\n\x1b[?1049h\x1b[H~\r\n~\r\n\x1b[10;1H"file" 3L');
    const { viewer } = await show(40, 11, singlePaneWindow(t));
    const s = screen(viewer);
    expect(s[0]!.trimEnd()).toBe('~');
    expect(s[9]!.trimEnd()).toBe('"file" 3L');
    expect(s.join('\n')).not.toContain('shell prompt');
  });

  it('follows the pane cursor and hides it when the application hides it', async () => {
    const t = makeTerm(40, 10);
    await write(t, 'abc\r\nde');
    const r = new ViewerRenderer(40, 11);
    const first = r.enter() + r.render(scene(singlePaneWindow(t)));
    const viewer = await replay(40, 11, first);
    expect([viewer.buffer.active.cursorX, viewer.buffer.active.cursorY]).toEqual([2, 1]);
    expect(first.endsWith('\x1b[2;3H\x1b[?25h\x1b[?2026l')).toBe(true);
    await write(t, '\x1b[?25l');
    expect(r.render(scene(singlePaneWindow(t)))).toBe('\x1b[?25l');
    await write(t, '\x1b[?25h\x1b[5;7H');
    expect(r.render(scene(singlePaneWindow(t)))).toBe('\x1b[5;7H\x1b[?25h');
  });

  it('puts the cursor of an offset active pane at xoff+cursorX, yoff+cursorY', async () => {
    const win = await verticalSplit(2);
    await write(win.panes[1]!.terminal, '\r\nxy');
    const { viewer } = await show(81, 11, win);
    expect([viewer.buffer.active.cursorX, viewer.buffer.active.cursorY]).toEqual([43, 1]);
  });
});
