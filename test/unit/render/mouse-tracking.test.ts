// The renderer mirrors the active pane's mouse tracking onto a read-write viewer's terminal (SGR
// reports), as tmux does with its mouse option off: on when the pane's program asks, off in copy
// mode, for read-only viewers, without a window and when the viewer leaves; again after a full
// redraw. Asserted on a headless xterm that replays what the viewer received.
import { describe, expect, it } from 'vitest';
import { ViewerRenderer } from '../../../src/core/render/viewer-renderer.js';
import { feed, makeTerm, replay, scene, singlePaneWindow, write } from './helpers.js';

function rwRenderer(): ViewerRenderer {
  const r = new ViewerRenderer(20, 6);
  r.mouseAllowed = true;
  return r;
}

describe('viewer renderer: mouse tracking', () => {
  it("follows the active pane's program for a read-write viewer", async () => {
    const pane = makeTerm(20, 5);
    const r = rwRenderer();
    const viewer = await replay(20, 6, r.enter() + r.render(scene(singlePaneWindow(pane))));
    expect(viewer.modes.mouseTrackingMode).toBe('none');
    await write(pane, '\x1b[?1002h\x1b[?1006h');
    await feed(viewer, r.render(scene(singlePaneWindow(pane))));
    expect(viewer.modes.mouseTrackingMode).toBe('drag');
    expect(r.render(scene(singlePaneWindow(pane)))).toBe('');
    r.resize(20, 6);
    expect(r.render(scene(singlePaneWindow(pane)))).toContain('\x1b[?1002h\x1b[?1006h');
    await write(pane, '\x1b[?1002l');
    await feed(viewer, r.render(scene(singlePaneWindow(pane))));
    expect(viewer.modes.mouseTrackingMode).toBe('none');
    await write(pane, '\x1b[?1000h');
    await feed(viewer, r.render(scene(singlePaneWindow(pane))));
    expect(viewer.modes.mouseTrackingMode).toBe('vt200');
    await feed(viewer, r.leave());
    expect(viewer.modes.mouseTrackingMode).toBe('none');
  });

  it('stays off for a read-only viewer, and while the pane is in copy mode or no window is shown', async () => {
    const pane = makeTerm(20, 5);
    await write(pane, '\x1b[?1000h\x1b[?1006h');
    const ro = new ViewerRenderer(20, 6);
    expect(ro.render(scene(singlePaneWindow(pane)))).not.toContain('\x1b[?1000h');
    const r = rwRenderer();
    const viewer = await replay(20, 6, r.enter() + r.render(scene(singlePaneWindow(pane))));
    expect(viewer.modes.mouseTrackingMode).toBe('vt200');
    const window = singlePaneWindow(pane);
    window.panes[0]!.copyMode = { backing: 1, oy: 0, cx: 0, cy: 0, selection: null, prompt: null };
    await feed(viewer, r.render(scene(window)));
    expect(viewer.modes.mouseTrackingMode).toBe('none');
    await feed(viewer, r.render(scene(singlePaneWindow(pane))));
    expect(viewer.modes.mouseTrackingMode).toBe('vt200');
    await feed(viewer, r.render(scene(null)));
    expect(viewer.modes.mouseTrackingMode).toBe('none');
  });
});
