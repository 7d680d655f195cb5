/**
 * Copy mode through the engine (trace 05): copy-mode sends SYNC_COPY_MODE and renames the window
 * "[tmux]"; every key the pane gets goes to copy mode and is followed by a sync; leaving sends
 * [] twice and the old name comes back.
 */
import { describe, expect, it } from 'vitest';
import { exec, lastLayout, makeEngine, type Harness } from './helpers.js';
import { KEYC_PPAGE, KEYC_UP } from '../../../src/core/term/key-codes.js';
import type { CopyModeState, OutMessage } from '../../../src/core/protocol/tmate/messages.js';

function syncs(messages: readonly OutMessage[]): (CopyModeState | null)[] {
  return messages.flatMap((m) => (m.type === 'sync-copy-mode' ? [m.state] : []));
}

function seq(h: Harness, n: number): void {
  h.pty.pane(0).output(Array.from({ length: n }, (_, i) => `${i + 1}\r\n`).join('') + '$ ');
}

describe('copy mode in the engine', () => {
  it('enters with a sync and the [tmux] name, takes keys from PANE_KEY, exits with [] twice', async () => {
    const h = makeEngine({ rows: 39, cols: 120 });
    seq(h, 100);
    let mark = h.messages.length;
    exec(h, 'copy-mode');
    const entered = h.messages.slice(mark);
    expect(entered.map((m) => m.type)).toEqual(['sync-copy-mode', 'sync-layout']);
    expect(syncs(entered)[0]).toMatchObject({ backing: 1, oy: 0, cx: 2, cy: 38, selection: null, prompt: null });
    expect(lastLayout(h.messages).windows[0]?.name).toBe('[tmux]');

    mark = h.messages.length;
    h.engine.handle({ type: 'pane-key', paneId: -1, key: KEYC_PPAGE });
    h.engine.handle({ type: 'pane-key', paneId: -1, key: 0 }); // C-Space: begin selection (emacs)
    h.engine.handle({ type: 'pane-key', paneId: -1, key: KEYC_UP });
    const states = syncs(h.messages.slice(mark));
    expect(states).toHaveLength(3);
    expect(states[0]).toMatchObject({ oy: 37, cy: 38 });
    expect(states[1]?.selection).not.toBeNull();
    expect(states[2]).toMatchObject({ oy: 37, cy: 37 });
    expect(await h.pty.pane(0).written()).toBe('');

    mark = h.messages.length;
    h.engine.handle({ type: 'pane-key', paneId: 0, key: 113 }); // q
    const left = h.messages.slice(mark);
    expect(left.map((m) => m.type)).toEqual(['sync-copy-mode', 'sync-copy-mode', 'sync-layout']);
    expect(syncs(left)).toEqual([null, null]);
    expect(lastLayout(h.messages).windows[0]?.name).toBe('bash');
    h.engine.handle({ type: 'pane-key', paneId: 0, key: 113 });
    expect(await h.pty.pane(0).written()).toBe('q');
  });

  it('copy-mode -u pages up at once; send-keys goes to copy mode too', async () => {
    const h = makeEngine({ rows: 10 });
    seq(h, 50);
    exec(h, 'copy-mode', '-u');
    expect(syncs(h.messages).map((s) => s?.oy)).toEqual([0, 8]);
    exec(h, 'send-keys', 'q');
    expect(syncs(h.messages).slice(2)).toEqual([null, null]);
    expect(await h.pty.pane(0).written()).toBe('');
  });

  it('output while in copy mode keeps the view and syncs only when the state changes', () => {
    const h = makeEngine({ rows: 10 });
    seq(h, 50);
    exec(h, 'copy-mode', '-u');
    const mark = h.messages.length;
    h.pty.pane(0).output('more\r\n');
    const after = h.messages.slice(mark);
    expect(after.map((m) => m.type)).toEqual(['pty-data', 'sync-copy-mode']);
    expect(syncs(after)[0]).toMatchObject({ oy: 9, cy: 9 });
    const again = h.messages.length;
    h.pty.pane(0).output('x');
    expect(syncs(h.messages.slice(again))).toEqual([]);
  });

  it('the copy-mode state is resent after a reconnect burst', () => {
    const h = makeEngine({ rows: 10 });
    seq(h, 20);
    exec(h, 'copy-mode');
    const burst = h.engine.connectMessages('r');
    expect(burst.slice(-3).map((m) => m.type)).toEqual(['sync-layout', 'snapshot', 'sync-copy-mode']);
  });
});

describe('paste buffers', () => {
  it('keeps what copy mode copied and pastes it into a pane with paste-buffer (C-b ])', async () => {
    const h = makeEngine({ rows: 10 });
    h.pty.pane(0).output('alpha beta\r\n$ ');
    exec(h, 'paste-buffer');
    expect(h.messages.some((m) => m.type === 'failed-cmd' && m.cause === 'no buffers')).toBe(true);
    exec(h, 'copy-mode');
    // emacs: Up to "alpha beta", start of line, C-Space, End, M-w copies and leaves.
    for (const key of [KEYC_UP, 1, 0, 5, 0x200000000000 + 119]) h.engine.handle({ type: 'pane-key', paneId: -1, key });
    expect(syncs(h.messages).at(-1)).toBeNull();
    exec(h, 'paste-buffer');
    expect(await h.pty.pane(0).written()).toBe('alpha beta');
  });
});
