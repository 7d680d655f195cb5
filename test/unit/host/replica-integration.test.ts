/**
 * The engine against the relay's own model of a host: everything the engine sends, fed into a
 * SessionReplica, must rebuild the same windows, panes and screens, on a first connection and
 * on a reconnect (layout + SNAPSHOT only).
 */
import { describe, expect, it } from 'vitest';
import { SessionReplica } from '../../../src/core/mux/session-replica.js';
import type { Emulator } from '../../../src/core/term/emulator.js';
import { exec, lastLayout, makeEngine, type Harness } from './helpers.js';

function lines(term: Emulator): string[] {
  const buffer = term.buffer.active;
  const out: string[] = [];
  for (let y = 0; y < buffer.length; y++) out.push(buffer.getLine(y)?.translateToString(true) ?? '');
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

function connect(h: Harness, replica: SessionReplica, reconnectData: string | null): () => void {
  for (const message of h.engine.connectMessages(reconnectData)) replica.apply(message);
  return h.engine.onMessage((message) => replica.apply(message));
}

function paneText(replica: SessionReplica, id: number): string[] {
  const pane = replica.pane(id);
  if (!pane) throw new Error(`replica has no pane ${id}`);
  return lines(pane.terminal);
}

describe('engine → SessionReplica', () => {
  it('the replica follows windows, splits, resizes, output and copy mode', () => {
    const h = makeEngine();
    const replica = new SessionReplica();
    connect(h, replica, null);
    h.pty.pane(0).output('$ echo hi\r\nhi\r\n$ ');
    exec(h, 'new-window', '-n', 'logs');
    exec(h, 'split-window', '-h');
    h.engine.handle({ type: 'resize', cols: 100, rows: 30 });
    h.pty.pane(1).output('\x1b[32mgreen\x1b[m left');
    h.pty.pane(2).output(Array.from({ length: 40 }, (_, i) => `row ${i}`).join('\r\n'));
    exec(h, 'copy-mode', '-u', '-t', '%2');

    const layout = lastLayout(h.messages);
    expect(replica.windows).toEqual(layout.windows);
    expect([replica.cols, replica.rows, replica.activeWindowIndex]).toEqual([100, 30, 1]);
    expect(replica.windows.map((w) => w.name)).toEqual(['bash', 'logs']);
    expect(paneText(replica, 0)).toEqual(['$ echo hi', 'hi', '$ ']);
    expect(paneText(replica, 1)).toEqual(['green left']);
    expect(paneText(replica, 2).slice(-2)).toEqual(['row 38', 'row 39']);
    expect(replica.pane(2)?.terminal.cols).toBe(49);
    expect(replica.pane(2)?.copyMode).toMatchObject({ backing: 1, oy: 10 }); // all 10 history lines
    expect(replica.keys.lookup('prefix', 99)?.commands).toEqual([['new-window']]);
  });

  it('a replica rebuilt from a reconnect burst shows the same screens', () => {
    const h = makeEngine({ cols: 60, rows: 10 });
    const first = new SessionReplica();
    const stop = connect(h, first, null);
    exec(h, 'split-window', '-v');
    h.pty.pane(0).output(Array.from({ length: 30 }, (_, i) => `\x1b[1mline ${i}\x1b[m`).join('\r\n'));
    h.pty.pane(1).output('top\r\n\x1b[?1049h\x1b[Hfull screen app\x1b[3;5H');
    stop();

    const second = new SessionReplica();
    connect(h, second, 'tracer1|x');
    expect(second.windows).toEqual(first.windows);
    for (const id of [0, 1]) {
      expect(paneText(second, id)).toEqual(paneText(first, id));
      const [a, b] = [first.pane(id)?.terminal.buffer.active, second.pane(id)?.terminal.buffer.active];
      expect([b?.cursorX, b?.cursorY, b?.type]).toEqual([a?.cursorX, a?.cursorY, a?.type]);
    }
  });
});
