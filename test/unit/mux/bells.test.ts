// Bells in the relay's replica (pane-replica.ts takeBells, session-replica.ts): a BEL in pane output
// rings (the relay then rings its viewers), and a window that rang while not the active one is
// flagged `!` until it becomes active, as tmux does. A BEL that ends an OSC string (a prompt
// setting the window title) rings nothing.
import { describe, expect, it } from 'vitest';
import { SessionReplica, type ReplicaEvent } from '../../../src/core/mux/session-replica.js';
import type { LayoutWindow } from '../../../src/core/protocol/tmate/messages.js';
import { paintStatus } from '../../../src/core/render/status-painter.js';
import { ScreenGrid } from '../../../src/core/render/screen-grid.js';

const encoder = new TextEncoder();

function twoWindows(): LayoutWindow[] {
  const window = (index: number, id: number): LayoutWindow =>
    ({ index, name: `w${index}`, activePaneId: id, panes: [{ id, cols: 20, rows: 4, xoff: 0, yoff: 0, active: true }] }) as unknown as LayoutWindow;
  return [window(0, 0), window(1, 1)];
}

function replicaShowing(active: number): SessionReplica {
  const replica = new SessionReplica();
  replica.apply({ type: 'sync-layout', cols: 20, rows: 4, windows: twoWindows(), activeWindowIndex: active });
  return replica;
}

function output(replica: SessionReplica, paneId: number, text: string): ReplicaEvent {
  return replica.apply({ type: 'pty-data', paneId, data: encoder.encode(text) });
}

describe('bells', () => {
  it('rings for a BEL in the active window without flagging it', () => {
    const replica = replicaShowing(0);
    expect(output(replica, 0, 'done\x07')).toEqual({ kind: 'screen', bell: true });
    expect(replica.rangBell(0)).toBe(false);
    expect(output(replica, 0, 'more')).toEqual({ kind: 'screen' });
  });

  it('flags a window that rang in the background until it becomes active', () => {
    const replica = replicaShowing(0);
    expect(output(replica, 1, 'build failed\x07\r\n')).toEqual({ kind: 'screen', bell: true });
    expect(replica.rangBell(1)).toBe(true);
    replica.apply({ type: 'sync-layout', cols: 20, rows: 4, windows: twoWindows(), activeWindowIndex: 0 });
    expect(replica.rangBell(1)).toBe(true);
    replica.apply({ type: 'sync-layout', cols: 20, rows: 4, windows: twoWindows(), activeWindowIndex: 1 });
    expect(replica.rangBell(1)).toBe(false);
  });

  it('rings nothing for the BEL that ends a title (OSC 0), even split across messages', () => {
    const replica = replicaShowing(0);
    expect(output(replica, 1, '\x1b]0;user@host: ~\x07$ ')).toEqual({ kind: 'screen' });
    expect(output(replica, 1, '\x1b]2;half')).toEqual({ kind: 'screen' });
    expect(output(replica, 1, ' title\x07')).toEqual({ kind: 'screen' });
    expect(replica.rangBell(1)).toBe(false);
  });

  it('draws the flag in the status line in tmux order (`!` before `-`)', () => {
    const grid = new ScreenGrid(40, 1);
    paintStatus(grid, 0, {
      left: '[x] ',
      right: '',
      message: null,
      windows: [
        { index: 0, name: 'bash', active: true, last: false },
        { index: 1, name: 'make', active: false, last: true, bell: true },
      ],
    });
    let text = '';
    for (let x = 0; x < 40; x++) text += grid.chars(x);
    expect(text.trimEnd()).toBe('[x] 0:bash* 1:make!-');
  });
});
