// The renderer mirrors the active pane's bracketed-paste mode onto the viewer's terminal: on when
// the pane's program turns it on, off when it turns it off, again after a full redraw, and off
// when the viewer leaves. Asserted on a headless xterm that replays what the viewer received.
import { describe, expect, it } from 'vitest';
import { ViewerRenderer } from '../../../src/core/render/viewer-renderer.js';
import { feed, makeTerm, replay, scene, singlePaneWindow, write } from './helpers.js';

describe('viewer renderer: bracketed paste mode', () => {
  it('follows the active pane and re-sends the mode on a full redraw', async () => {
    const pane = makeTerm(20, 5);
    const r = new ViewerRenderer(20, 6);
    const viewer = await replay(20, 6, r.enter() + r.render(scene(singlePaneWindow(pane))));
    expect(viewer.modes.bracketedPasteMode).toBe(false);

    await write(pane, '\x1b[?2004h$ ');
    const on = r.render(scene(singlePaneWindow(pane)));
    expect(on).toContain('\x1b[?2004h');
    await feed(viewer, on);
    expect(viewer.modes.bracketedPasteMode).toBe(true);
    expect(r.render(scene(singlePaneWindow(pane)))).toBe('');

    r.resize(20, 6);
    expect(r.render(scene(singlePaneWindow(pane)))).toContain('\x1b[?2004h');

    await write(pane, '\x1b[?2004l');
    await feed(viewer, r.render(scene(singlePaneWindow(pane))));
    expect(viewer.modes.bracketedPasteMode).toBe(false);

    await write(pane, '\x1b[?2004h');
    await feed(viewer, r.render(scene(singlePaneWindow(pane))));
    expect(viewer.modes.bracketedPasteMode).toBe(true);
    await feed(viewer, r.leave());
    expect(viewer.modes.bracketedPasteMode).toBe(false);
  });

  it('turns the mode off while no window is shown', async () => {
    const pane = makeTerm(20, 5);
    await write(pane, '\x1b[?2004h');
    const r = new ViewerRenderer(20, 6);
    const viewer = await replay(20, 6, r.enter() + r.render(scene(singlePaneWindow(pane))));
    expect(viewer.modes.bracketedPasteMode).toBe(true);
    await feed(viewer, r.render(scene(null)));
    expect(viewer.modes.bracketedPasteMode).toBe(false);
  });
});
