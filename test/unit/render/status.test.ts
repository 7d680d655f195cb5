/**
 * The status line: tmux's default look (black on green), window list flags, right text, narrow
 * terminals, window-list scrolling, and messages (black on yellow).
 */
import { describe, expect, it } from 'vitest';
import type { StatusScene } from '../../../src/core/render/scene.js';
import { ViewerRenderer } from '../../../src/core/render/viewer-renderer.js';
import { bgOf, cellAt, fgOf, makeTerm, replay, scene, screen, singlePaneWindow, status } from './helpers.js';

const BLACK = 0;
const GREEN = 2;
const YELLOW = 3;

async function statusRow(cols: number, st: StatusScene) {
  const t = makeTerm(cols, 4);
  const r = new ViewerRenderer(cols, 5);
  const viewer = await replay(cols, 5, r.enter() + r.render(scene(singlePaneWindow(t), st)));
  return { text: screen(viewer)[4]!, viewer };
}

const twoWindows = [
  { index: 0, name: 'bash', active: true, last: false },
  { index: 1, name: 'vim', active: false, last: true },
];

describe('status line', () => {
  it('shows left, the window list with * and -, and right aligned to the edge, black on green', async () => {
    const { text, viewer } = await statusRow(60, status({ windows: twoWindows, right: ' [ro] 2 viewers ' }));
    expect(text).toBe(`[tmate] 0:bash* 1:vim- ${' '.repeat(60 - 23 - 16)} [ro] 2 viewers `);
    for (const x of [0, 10, 30, 59]) {
      const c = cellAt(viewer, x, 4);
      expect(fgOf(c)).toBe(BLACK);
      expect(bgOf(c)).toBe(GREEN);
    }
  });

  it('marks the active window wherever it is in the list', async () => {
    const windows = [
      { index: 0, name: 'bash', active: false, last: true },
      { index: 1, name: 'vim', active: true, last: false },
      { index: 2, name: 'top', active: false, last: false },
    ];
    const { text } = await statusRow(50, status({ left: '', windows }));
    expect(text.trimEnd()).toBe('0:bash- 1:vim* 2:top');
  });

  it('marks a zoomed window with Z, as tmux does', async () => {
    const windows = [
      { index: 0, name: 'bash', active: true, last: false, zoomed: true },
      { index: 1, name: 'vim', active: false, last: true, zoomed: true },
      { index: 2, name: 'top', active: false, last: false, zoomed: true },
    ];
    const { text } = await statusRow(50, status({ left: '', windows }));
    expect(text.trimEnd()).toBe('0:bash*Z 1:vim-Z 2:topZ');
  });

  it('scrolls a long window list to keep the current window visible, with < and >', async () => {
    const windows = Array.from({ length: 10 }, (_, i) => ({ index: i, name: `win${i}`, active: i === 6, last: false }));
    const { text } = await statusRow(40, status({ windows, right: '[ro]' }));
    expect(text.length).toBe(40);
    expect(text.startsWith('[tmate] <')).toBe(true);
    expect(text).toContain('6:win6*');
    expect(text.endsWith('>[ro]')).toBe(true);
    const first = await statusRow(40, status({ windows: windows.map((w) => ({ ...w, active: w.index === 0 })) }));
    expect(first.text.startsWith('[tmate] 0:win0* 1:win1')).toBe(true);
    expect(first.text.endsWith('>')).toBe(true);
  });

  it('truncates sensibly on a narrow terminal: left first, then right', async () => {
    const narrow = await statusRow(20, status({ right: ' [ro] 3 connected ' }));
    expect(narrow.text.length).toBe(20);
    expect(narrow.text.endsWith(' [ro] 3 connected ')).toBe(true);
    const tiny = await statusRow(10, status({ right: ' [ro] 3 connected ' }));
    expect(tiny.text.length).toBe(10);
    expect(tiny.text).toBe('  [ro] 3 c');
  });

  it('replaces the whole line with a message, black on yellow', async () => {
    const { text, viewer } = await statusRow(40, status({ message: 'Session shell restarted', right: '[ro]' }));
    expect(text).toBe('Session shell restarted'.padEnd(40));
    for (const x of [0, 39]) {
      const c = cellAt(viewer, x, 4);
      expect(fgOf(c)).toBe(BLACK);
      expect(bgOf(c)).toBe(YELLOW);
    }
    const long = await statusRow(10, status({ message: 'a very long message' }));
    expect(long.text).toBe('a very lon');
  });

  it('lays out wide characters in window names', async () => {
    const { text } = await statusRow(30, status({ left: '', windows: [{ index: 0, name: '漢字', active: true, last: false }] }));
    expect(text.trimEnd()).toBe('0:漢字*');
  });

  it('keeps the cursor in the pane while a message shows, and puts it after a prompt, as tmux does', async () => {
    const t = makeTerm(30, 5);
    t.write('$ ls');
    await new Promise<void>((resolve) => t.write('', resolve));
    const r = new ViewerRenderer(30, 6);
    const cursorAfter = async (st: StatusScene): Promise<{ x: number; y: number }> => {
      const viewer = await replay(30, 6, r.enter() + r.render(scene(singlePaneWindow(t), st)));
      return { x: viewer.buffer.active.cursorX, y: viewer.buffer.active.cursorY };
    };
    expect(await cursorAfter(status({ message: 'A mate has joined' }))).toEqual({ x: 4, y: 0 });
    expect(await cursorAfter(status({ message: 'kill-pane 1? (y/n)', prompt: true }))).toEqual({ x: 18, y: 5 });
  });
});

