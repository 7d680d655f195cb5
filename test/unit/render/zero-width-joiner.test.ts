// Emoji joined by zero-width joiners (👨‍👩‍👧): the pane emulator lays them out one per person, two
// columns each, as tmux 2.4 does; a viewer's terminal that joins them would draw one two-column
// glyph and shift the rest of the row. The relay drops the joiners, as tmux does, so every
// terminal shows the row as laid out.
import { describe, expect, it } from 'vitest';
import { ViewerRenderer } from '../../../src/core/render/viewer-renderer.js';
import { makeTerm, replay, scene, singlePaneWindow, write } from './helpers.js';

describe('zero-width joiners', () => {
  it('are not sent to viewers, and what follows stays in its column', async () => {
    const pane = makeTerm(20, 3);
    await write(pane, 'A👨\u200d👩\u200d👧B');
    const r = new ViewerRenderer(20, 4);
    const out = r.enter() + r.render(scene(singlePaneWindow(pane)));
    expect(out).not.toContain('\u200d');
    expect(out).toContain('👨');
    const viewer = await replay(20, 4, out);
    const row = viewer.buffer.active.getLine(0)!;
    expect(row.getCell(7)?.getChars()).toBe('B');
    expect([row.getCell(1)?.getChars(), row.getCell(3)?.getChars(), row.getCell(5)?.getChars()]).toEqual(['👨', '👩', '👧']);
  });
});
