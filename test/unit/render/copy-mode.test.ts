/**
 * Copy mode as the reference server draws it from SYNC_COPY_MODE: scrolled view, `[oy/history]`
 * indicator, selection in mode-style, prompt line, copy cursor, and output copy mode.
 */
import { describe, expect, it } from 'vitest';
import type { Terminal } from '@xterm/headless';
import type { CopyModeState } from '../../../src/core/protocol/tmate/messages.js';
import type { WindowScene } from '../../../src/core/render/scene.js';
import { ViewerRenderer } from '../../../src/core/render/viewer-renderer.js';
import { bgOf, cellAt, fgOf, makeTerm, pane, replay, scene, screen, write } from './helpers.js';

const BLACK = 0;
const YELLOW = 3;

/** A 40×10 pane holding `line 00` … `line 49`: 40 lines of history. */
async function scrolledTerm(): Promise<Terminal> {
  const t = makeTerm(40, 10);
  const lines = Array.from({ length: 50 }, (_, i) => `line ${String(i).padStart(2, '0')}`);
  await write(t, lines.join('\r\n'));
  return t;
}

function copy(over: Partial<CopyModeState>): CopyModeState {
  return { backing: 1, oy: 0, cx: 0, cy: 0, selection: null, prompt: null, ...over };
}

function oneWindow(t: Terminal, mode: CopyModeState | null, outputLines: string[] = []): WindowScene {
  return {
    cols: 40, rows: 10, activePaneId: 1,
    panes: [pane(1, t, { xoff: 0, yoff: 0, cols: 40, rows: 10 }, mode, outputLines)],
  };
}

async function show(win: WindowScene, cols = 40, rows = 11): Promise<Terminal> {
  const r = new ViewerRenderer(cols, rows);
  return replay(cols, rows, r.enter() + r.render(scene(win)));
}

function isModeStyle(viewer: Terminal, x: number, y: number): boolean {
  const c = cellAt(viewer, x, y);
  return fgOf(c) === BLACK && bgOf(c) === YELLOW;
}

describe('copy mode', () => {
  it('shows earlier scrollback when oy > 0 and the [oy/history] indicator in mode-style', async () => {
    const t = await scrolledTerm();
    expect(t.buffer.normal.baseY).toBe(40);
    const viewer = await show(oneWindow(t, copy({ oy: 5, cy: 3 })));
    const s = screen(viewer);
    expect(s[0]!.startsWith('line 35')).toBe(true);
    expect(s[9]!.startsWith('line 44')).toBe(true);
    expect(s[0]!.endsWith('[5/40]')).toBe(true);
    expect(isModeStyle(viewer, 34, 0)).toBe(true);
    expect(isModeStyle(viewer, 39, 0)).toBe(true);
    expect(isModeStyle(viewer, 33, 0)).toBe(false);
    // The cursor is the copy cursor.
    expect([viewer.buffer.active.cursorX, viewer.buffer.active.cursorY]).toEqual([0, 3]);
  });

  it('shows the live bottom with [0/history] at oy 0', async () => {
    const t = await scrolledTerm();
    const s = screen(await show(oneWindow(t, copy({}))));
    expect(s[0]).toBe(`line 40${' '.repeat(27)}[0/40]`);
    expect(s[9]!.startsWith('line 49')).toBe(true);
  });

  it('highlights the selection from its start (lines from bottom) to the copy cursor', async () => {
    const t = await scrolledTerm();
    // View top = 40 - 5 = 35. Selection starts at absolute line 37, x 2: (40 + 10 - 1) - 37 = 12.
    const mode = copy({ oy: 5, cx: 5, cy: 4, selection: { x: 2, lineFromBottom: 12, rect: false } });
    const viewer = await show(oneWindow(t, mode));
    expect(isModeStyle(viewer, 1, 2)).toBe(false);
    expect(isModeStyle(viewer, 2, 2)).toBe(true);
    expect(isModeStyle(viewer, 30, 2)).toBe(true);
    expect(isModeStyle(viewer, 0, 3)).toBe(true);
    expect(isModeStyle(viewer, 5, 4)).toBe(true);
    expect(isModeStyle(viewer, 6, 4)).toBe(false);
    expect(isModeStyle(viewer, 0, 5)).toBe(false);
    expect(screen(viewer)[2]!.startsWith('line 37')).toBe(true);
  });

  it('highlights a selection whose start is below the cursor, and rectangles', async () => {
    const t = await scrolledTerm();
    const back = copy({ oy: 5, cx: 3, cy: 1, selection: { x: 4, lineFromBottom: 11, rect: false } });
    const v1 = await show(oneWindow(t, back));
    expect(isModeStyle(v1, 2, 1)).toBe(false);
    expect(isModeStyle(v1, 3, 1)).toBe(true);
    expect(isModeStyle(v1, 4, 3)).toBe(true);
    expect(isModeStyle(v1, 5, 3)).toBe(false);
    const rect = copy({ oy: 5, cx: 6, cy: 4, selection: { x: 2, lineFromBottom: 12, rect: true } });
    const v2 = await show(oneWindow(t, rect));
    expect(isModeStyle(v2, 2, 2)).toBe(true);
    expect(isModeStyle(v2, 6, 4)).toBe(true);
    expect(isModeStyle(v2, 7, 3)).toBe(false);
    expect(isModeStyle(v2, 1, 3)).toBe(false);
  });

  it('shows the copy prompt on the pane’s last line', async () => {
    const t = await scrolledTerm();
    const viewer = await show(oneWindow(t, copy({ oy: 2, prompt: { type: 3, prompt: 'Search Up', text: '42' } })));
    const s = screen(viewer);
    expect(s[9]!.startsWith('Search Up: 42')).toBe(true);
    expect(isModeStyle(viewer, 0, 9)).toBe(true);
    expect(isModeStyle(viewer, 12, 9)).toBe(true);
  });

  it('marks a cursor past the end of the line with $', async () => {
    const t = await scrolledTerm();
    const s = screen(await show(oneWindow(t, copy({ oy: 3, cx: 40, cy: 5 }))));
    expect(s[5]![39]).toBe('$');
  });

  it('draws the indicator at the top right of an offset pane', async () => {
    const t = await scrolledTerm();
    const left = makeTerm(20, 10);
    const win: WindowScene = {
      cols: 61, rows: 10, activePaneId: 2,
      panes: [pane(1, left, { xoff: 0, yoff: 0, cols: 20, rows: 10 }), pane(2, t, { xoff: 21, yoff: 0, cols: 40, rows: 10 }, copy({ oy: 12, cx: 1, cy: 2 }))],
    };
    const viewer = await show(win, 61, 11);
    const s = screen(viewer);
    expect(s[0]!.slice(21, 28)).toBe('line 28');
    expect(s[0]!.endsWith('[12/40]')).toBe(true);
    expect([viewer.buffer.active.cursorX, viewer.buffer.active.cursorY]).toEqual([22, 2]);
  });

  it('takes the visible part from the alternate screen while it is active', async () => {
    const t = await scrolledTerm();
    await write(t, '\x1b[?1049h\x1b[HVIM TOP');
    const s = screen(await show(oneWindow(t, copy({ oy: 2 }))));
    expect(s[0]!.startsWith('line 38')).toBe(true);
    expect(s[1]!.startsWith('line 39')).toBe(true);
    expect(s[2]!.startsWith('VIM TOP')).toBe(true);
  });
});

describe('output copy mode (backing 0)', () => {
  const output = copy({ backing: 0 });

  it('shows the output lines instead of the pane content', async () => {
    const t = await scrolledTerm();
    const lines = ['Tip: if you wish to use tmate only for remote access, run: tmate -F', 'Press <q> or <ctrl-c> to continue'];
    const s = screen(await show(oneWindow(t, output, lines)));
    // Long lines wrap at the pane width like tmux's output screen; the indicator covers the end.
    expect(s[0]).toBe('Tip: if you wish to use tmate only [0/0]');
    expect(s[1]!.trimEnd()).toBe('emote access, run: tmate -F');
    expect(s[2]!.trimEnd()).toBe('Press <q> or <ctrl-c> to continue');
    expect(s.join('\n')).not.toContain('line 4');
  });

  it('shows the last rows of many lines, and earlier ones when scrolled', async () => {
    const t = makeTerm(40, 10);
    const lines = Array.from({ length: 15 }, (_, i) => `msg ${i}`);
    const s = screen(await show(oneWindow(t, output, lines)));
    expect(s[0]!.startsWith('msg 5')).toBe(true);
    expect(s[0]!.endsWith('[0/5]')).toBe(true);
    expect(s[9]!.trimEnd()).toBe('msg 14');
    const up = screen(await show(oneWindow(t, copy({ backing: 0, oy: 5 }), lines)));
    expect(up[0]!.startsWith('msg 0')).toBe(true);
    expect(up[9]!.trimEnd()).toBe('msg 9');
  });
});
