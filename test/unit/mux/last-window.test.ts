// The "last" window of the relay's replica (session-replica.ts), which the status line marks `-`:
// derived from the layouts the host sends as tmux keeps its `lastw` stack, so that it stays right
// when windows are killed (tmux 3.3a and the tmate 2.4 host: after windows 0, 1, 2, `C-b 0`,
// `C-b l` and `C-b &` on 2, window 0 is current and 1 is last).
import { describe, expect, it } from 'vitest';
import { SessionReplica } from '../../../src/core/mux/session-replica.js';
import type { LayoutWindow } from '../../../src/core/protocol/tmate/messages.js';

function windows(...indexes: number[]): LayoutWindow[] {
  return indexes.map(
    (index) =>
      ({ index, name: `w${index}`, activePaneId: index, panes: [{ id: index, cols: 20, rows: 4, xoff: 0, yoff: 0, active: true }] }) as unknown as LayoutWindow,
  );
}

/** Applies layouts of (windows, active) in order and returns the last window after each. */
function lastAfter(steps: [number[], number][]): number[] {
  const replica = new SessionReplica();
  return steps.map(([indexes, active]) => {
    replica.apply({ type: 'sync-layout', cols: 20, rows: 4, windows: windows(...indexes), activeWindowIndex: active });
    return replica.lastWindowIndex;
  });
}

describe('the last window', () => {
  it('is the window left most recently, and moves back when the current one is killed', () => {
    expect(
      lastAfter([
        [[0], 0],
        [[0, 1], 1], // C-b c
        [[0, 1, 2], 2], // C-b c
        [[0, 1, 2], 0], // C-b 0
        [[0, 1, 2], 2], // C-b l
        [[0, 1], 0], // C-b & on 2: tmux goes back to 0, and 1 is the last one again
      ]),
    ).toEqual([-1, 0, 1, 2, 0, 1]);
  });

  it('is none once every other window is gone, and forgets a killed window whose index comes back', () => {
    expect(
      lastAfter([
        [[0, 1], 1],
        [[0, 1], 0],
        [[0], 0], // window 1 killed from elsewhere
        [[0, 1], 0], // a new window 1, created in the background (-d)
      ]),
    ).toEqual([-1, 1, -1, -1]);
  });
});
