/**
 * What a viewer sees: our state() drawn by the relay's own painter from the same emulator. The
 * scene goes through ViewerRenderer and is replayed into a fresh headless terminal, so these tests
 * check that oy/cx/cy, the bottom-relative selection line and the prompt mean what copy mode meant.
 */
import { describe, expect, it } from 'vitest';
import type { Terminal } from '@xterm/headless';
import type { CopyMode } from '../../../../src/core/host/copy-mode/copy-mode.js';
import { ViewerRenderer } from '../../../../src/core/render/viewer-renderer.js';
import { feedEmulator } from '../../../../src/core/term/emulator.js';
import { bgOf, cellAt, fgOf, pane, replay, scene, screen } from '../../render/helpers.js';
import { copyMode, paneWith, press, typeText } from './helpers.js';

const BLACK = 0;
const YELLOW = 3;

/** A 40×10 pane holding `line 00` … `line 49`: 40 lines of history. */
function lines() {
  return paneWith(40, 10, Array.from({ length: 50 }, (_, i) => `line ${String(i).padStart(2, '0')}`));
}

async function show(term: Terminal, mode: CopyMode): Promise<Terminal> {
  const r = new ViewerRenderer(40, 11);
  const win = {
    cols: 40, rows: 10, activePaneId: 1,
    panes: [pane(1, term, { xoff: 0, yoff: 0, cols: 40, rows: 10 }, mode.state())],
  };
  return replay(40, 11, r.enter() + r.render(scene(win)));
}

function styled(viewer: Terminal, x: number, y: number): boolean {
  const c = cellAt(viewer, x, y);
  return fgOf(c) === BLACK && bgOf(c) === YELLOW;
}

describe('copy mode as the relay draws it', () => {
  it('shows the page copy mode scrolled to, with the cursor where copy mode has it', async () => {
    const term = lines();
    const mode = copyMode(term, 'emacs');
    press(mode, 'PPage', 'Up', 'Up');
    const viewer = await show(term, mode);
    const s = screen(viewer);
    expect(s[0]!.startsWith('line 32')).toBe(true);
    expect(s[0]!.endsWith('[8/40]')).toBe(true);
    expect(s[7]!.startsWith('line 39')).toBe(true);
    expect([viewer.buffer.active.cursorX, viewer.buffer.active.cursorY]).toEqual([7, 7]);
  });

  it('highlights the selection from its anchor to the cursor', async () => {
    const term = lines();
    const mode = copyMode(term, 'vi');
    press(mode, 'k', 'k', 'k', '0', 'w', 'Space', 'k', '0');
    const viewer = await show(term, mode);
    expect(screen(viewer)[5]!.startsWith('line 45')).toBe(true);
    expect(styled(viewer, 0, 5)).toBe(true);
    expect(styled(viewer, 39, 5)).toBe(true);
    expect(styled(viewer, 4, 6)).toBe(true);
    expect(styled(viewer, 5, 6)).toBe(true);
    expect(styled(viewer, 6, 6)).toBe(false);
    expect(styled(viewer, 0, 7)).toBe(false);
    expect(press(mode, 'Enter').copied).toBe('line 45\nline 4');
  });

  it('shows the search prompt while typing and the match once found', async () => {
    const term = lines();
    const mode = copyMode(term, 'emacs');
    press(mode, 'C-r');
    typeText(mode, 'line 12');
    const typing = screen(await show(term, mode));
    expect(typing[9]!.startsWith('Search Up: line 12')).toBe(true);
    press(mode, 'Enter');
    const s = mode.state();
    const viewer = await show(term, mode);
    expect(screen(viewer)[s.cy]!.startsWith('line 12')).toBe(true);
    expect(screen(viewer)[9]!.startsWith('line ')).toBe(true);
    expect([viewer.buffer.active.cursorX, viewer.buffer.active.cursorY]).toEqual([0, s.cy]);
  });

  it('keeps showing the same lines after output scrolled the pane', async () => {
    const term = lines();
    const mode = copyMode(term, 'vi');
    press(mode, 'C-b', 'Space', 'k');
    const before = screen(await show(term, mode)).slice(1);
    feedEmulator(term, '\r\nnew 1\r\nnew 2\r\nnew 3');
    mode.outputAdded();
    const viewer = await show(term, mode);
    expect(screen(viewer).slice(1)).toEqual(before);
    expect(styled(viewer, 6, 8)).toBe(false);
    expect(styled(viewer, 7, 8)).toBe(true);
    expect(styled(viewer, 7, 9)).toBe(true);
    expect(styled(viewer, 8, 9)).toBe(false);
  });
});
