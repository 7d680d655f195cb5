/**
 * The engine's I/O: keys from the relay into the ptys, pane output as PTY_DATA, pane exits,
 * FIN and the exit status, SET_ENV / READY / NOTIFY, stop(), and robustness against odd input.
 */
import { describe, expect, it } from 'vitest';
import { exec, failures, lastLayout, makeEngine } from './helpers.js';
import { KEYC_BASE, KEYC_CTRL, KEYC_ESCAPE, KEYC_MOUSE_FIRST, KEYC_UP } from '../../../src/core/term/key-codes.js';
import { encodeOutMessage, parseOutMessage } from '../../../src/core/protocol/tmate/out-messages.js';
import { decode } from '@msgpack/msgpack';
import type { OutMessage } from '../../../src/core/protocol/tmate/messages.js';

describe('PANE_KEY', () => {
  it('writes what tmux writes: characters as UTF-8, arrows by cursor-key mode', async () => {
    const h = makeEngine();
    const pane = h.pty.pane(0);
    for (const key of [101, 233, 20013, 3, 13]) h.engine.handle({ type: 'pane-key', paneId: -1, key });
    h.engine.handle({ type: 'pane-key', paneId: -1, key: KEYC_UP });
    h.engine.handle({ type: 'pane-key', paneId: -1, key: KEYC_UP + KEYC_CTRL });
    h.engine.handle({ type: 'pane-key', paneId: -1, key: 120 + KEYC_ESCAPE });
    expect(await pane.written()).toBe('eé中\x03\r\x1b[A\x1bOA\x1bx');
    pane.output('\x1b[?1h\x1b=');
    pane.writes.length = 0;
    h.engine.handle({ type: 'pane-key', paneId: -1, key: KEYC_UP });
    h.engine.handle({ type: 'pane-key', paneId: -1, key: KEYC_BASE + 82 });
    expect(await pane.written()).toBe('\x1bOA\x1bOM');
  });

  it('goes to the pane by id, to the active pane for -1 / LEGACY_PANE_KEY; unknown ids and mouse keys are dropped', async () => {
    const h = makeEngine();
    exec(h, 'split-window');
    h.engine.handle({ type: 'pane-key', paneId: 0, key: 120 });
    h.engine.handle({ type: 'pane-key', paneId: 99, key: 121 });
    h.engine.handle({ type: 'legacy-pane-key', key: 122 });
    h.engine.handle({ type: 'pane-key', paneId: -1, key: KEYC_MOUSE_FIRST });
    expect(await h.pty.pane(0).written()).toBe('x');
    expect(await h.pty.pane(1).written()).toBe('z');
  });

  it('send-keys sends key names as keys and other words as text', async () => {
    const h = makeEngine();
    exec(h, 'send-keys', 'echo', 'Space', 'hi', 'C-c', 'Enter');
    exec(h, 'send-keys', '-l', 'Enter');
    exec(h, 'send-prefix');
    expect(await h.pty.pane(0).written()).toBe('echo hi\x03\rEnter\x02');
  });
});

describe('pane output', () => {
  it('becomes PTY_DATA of at most 16 KiB per message, in order, and reaches onPaneOutput', () => {
    const h = makeEngine();
    const seen: [number, number][] = [];
    h.engine.onPaneOutput((id, data) => seen.push([id, data.length]));
    const big = new Uint8Array(40_000).map((_, i) => 0x41 + (i % 26));
    h.pty.pane(0).output(big);
    const chunks = h.messages.flatMap((m) => (m.type === 'pty-data' ? [m] : []));
    expect(chunks.map((c) => c.data.length)).toEqual([16384, 16384, 7232]);
    expect(chunks.every((c) => c.paneId === 0)).toBe(true);
    expect(Buffer.concat(chunks.map((c) => c.data)).equals(Buffer.from(big))).toBe(true);
    expect(seen).toEqual([[0, 40_000]]);
  });
});

describe('pane exit and the end of the session', () => {
  it('closes the pane, then the window; the last exit sends FIN with 128+signal', () => {
    const h = makeEngine();
    exec(h, 'split-window', '-h');
    exec(h, 'new-window');
    const ends: number[] = [];
    h.engine.onEnd((status) => ends.push(status));
    h.pty.pane(1).exit(0);
    expect(lastLayout(h.messages).windows[0]?.panes).toEqual([{ id: 0, cols: 80, rows: 23, xoff: 0, yoff: 0 }]);
    h.pty.pane(2).exit(1);
    expect(lastLayout(h.messages).windows.map((w) => w.index)).toEqual([0]);
    expect(h.engine.exitStatus).toBeNull();
    h.pty.pane(0).exit(0, 9);
    expect(h.messages[h.messages.length - 1]).toEqual({ type: 'fin' });
    expect(ends).toEqual([137]);
    expect(h.engine.exitStatus).toBe(137);
    const count = h.messages.length;
    h.engine.handle({ type: 'exec-cmd', clientId: 1, argv: ['new-window'] });
    h.pty.pane(0).output('late');
    expect(h.messages.length).toBe(count);
  });

  it('stop() kills every pane and ends with 128+signal; kill-session too', () => {
    const h = makeEngine();
    exec(h, 'new-window');
    h.engine.stop('SIGTERM');
    expect(h.pty.processes.map((p) => p.kills)).toEqual([['SIGTERM'], ['SIGTERM']]);
    expect(h.engine.exitStatus).toBe(143);
    expect(h.messages.filter((m) => m.type === 'fin')).toHaveLength(1);
    expect(h.engine.endedByRelay).toBe(false);
    const k = makeEngine();
    exec(k, 'kill-session');
    expect(k.engine.exitStatus).toBe(129);
    expect(k.engine.endedByRelay).toBe(true);
    const l = makeEngine();
    l.engine.handle({ type: 'exec-cmd-str', clientId: 1, command: 'kill-server ; new-window' });
    expect(l.pty.processes).toHaveLength(1);
    expect(l.messages.filter((m) => m.type === 'failed-cmd')).toEqual([]);
    expect(k.messages[k.messages.length - 1]).toEqual({ type: 'fin' });
  });

  it('reports a spawn failure as tmux does and keeps the session', () => {
    const h = makeEngine();
    h.pty.failNext = 'posix_spawnp failed.';
    exec(h, 'new-window');
    h.pty.failNext = 'no pty';
    exec(h, 'split-window');
    expect(failures(h.messages).map(([, c]) => c)).toEqual([
      'create window failed: posix_spawnp failed.',
      'create pane failed: no pty',
    ]);
    expect(lastLayout(h.messages).windows).toHaveLength(1);
    expect(lastLayout(h.messages).windows[0]?.panes).toHaveLength(1);
  });
});

describe('relay messages', () => {
  it('stores SET_ENV, and signals READY and NOTIFY', () => {
    const h = makeEngine();
    const events: string[] = [];
    h.engine.onEnv((name, value) => events.push(`${name}=${value}`));
    h.engine.onReady(() => events.push('ready'));
    h.engine.onNotify((text) => events.push(`notify ${text}`));
    h.engine.handle({ type: 'notify', message: 'Note: clear your terminal before sharing readonly access' });
    h.engine.handle({ type: 'set-env', name: 'tmate_ssh', value: 'ssh a@b' });
    h.engine.handle({ type: 'set-env', name: 'tmate_reconnection_data', value: 'r1' });
    h.engine.handle({ type: 'set-env', name: 'tmate_reconnection_data', value: 'r2' });
    h.engine.handle({ type: 'ready' });
    expect(h.engine.env('tmate_ssh')).toBe('ssh a@b');
    expect(h.engine.env('tmate_reconnection_data')).toBe('r2');
    expect(h.engine.env('tmate_web')).toBeUndefined();
    expect(events).toEqual([
      'notify Note: clear your terminal before sharing readonly access',
      'tmate_ssh=ssh a@b',
      'tmate_reconnection_data=r1',
      'tmate_reconnection_data=r2',
      'ready',
    ]);
  });

  it('RESIZE sets the session size (clamped); -1,-1 and 0 keep it', () => {
    const h = makeEngine();
    h.engine.handle({ type: 'resize', cols: 200, rows: 50 });
    h.engine.handle({ type: 'resize', cols: -1, rows: -1 });
    h.engine.handle({ type: 'resize', cols: 0, rows: 40 });
    expect(lastLayout(h.messages)).toMatchObject({ cols: 200, rows: 50 });
    expect(h.pty.pane(0).resizes).toEqual([[200, 50]]);
    h.engine.handle({ type: 'resize', cols: 2 ** 31, rows: 3 });
    expect(lastLayout(h.messages)).toMatchObject({ cols: 1000, rows: 3 });
  });

  it('never throws, whatever the message; a throwing listener does not break the engine', () => {
    const h = makeEngine();
    h.engine.onMessage(() => {
      throw new Error('observer bug');
    });
    const odd: unknown[] = [
      { type: 'exec-cmd', clientId: 1, argv: [''] },
      { type: 'exec-cmd-str', clientId: 1, command: '' },
      { type: 'exec-cmd-str', clientId: 1, command: ';;;' },
      { type: 'exec-cmd-str', clientId: 1, command: '${' },
      { type: 'pane-key', paneId: -1, key: -5 },
      { type: 'pane-key', paneId: -1, key: 2 ** 60 },
      { type: 'pane-key', paneId: 1.5, key: 1.5 },
      { type: 'resize', cols: Number.NaN, rows: 10 },
      { type: 'bogus' },
      { type: 'exec-cmd', clientId: 1, argv: ['select-pane', '-t', '%'] },
      { type: 'exec-cmd', clientId: 1, argv: ['split-window', '-p', '-5'] },
    ];
    for (const message of odd) expect(() => h.engine.handle(message as never)).not.toThrow();
    exec(h, 'new-window');
    expect(lastLayout(h.messages).windows).toHaveLength(2);
  });
});

describe('wire form', () => {
  it('every message the engine produces encodes as tmate does and parses back', () => {
    const h = makeEngine();
    const all: OutMessage[] = [...h.engine.connectMessages('data')];
    exec(h, 'split-window', '-h');
    exec(h, 'new-window', '-n', 'é');
    exec(h, 'bogus');
    h.pty.pane(0).output('\x1b[31mred\x1b[m \xe9'.replace('\xe9', 'é'));
    exec(h, 'copy-mode', '-t', '%0');
    h.engine.handle({ type: 'pane-key', paneId: 0, key: 113 });
    all.push(...h.messages, ...h.engine.connectMessages('data2'));
    h.engine.stop();
    all.push(h.messages[h.messages.length - 1] as OutMessage);
    const types = new Set(all.map((m) => m.type));
    expect([...types].sort()).toEqual(
      ['exec-cmd', 'failed-cmd', 'fin', 'header', 'pty-data', 'ready', 'reconnect', 'snapshot', 'sync-copy-mode', 'sync-layout', 'uname'].sort(),
    );
    for (const message of all) {
      const parsed = parseOutMessage(decode(encodeOutMessage(message), { rawStrings: true } as never));
      expect(parsed).toEqual({ ok: true, value: message });
    }
  });

  it('names a window after the program in its foreground, checked a little after output (automatic-rename)', () => {
    const h = makeEngine();
    expect(lastLayout(h.messages).windows[0]?.name).toBe('bash');
    h.pty.pane(0).foreground = '/usr/bin/top';
    h.pty.pane(0).output('top - 08:00:00 up 1 day');
    expect(lastLayout(h.messages).windows[0]?.name).toBe('bash');
    h.clock.advance(500);
    expect(lastLayout(h.messages).windows[0]?.name).toBe('top');
    h.pty.pane(0).foreground = 'bash';
    h.pty.pane(0).output('$ ');
    h.clock.advance(500);
    expect(lastLayout(h.messages).windows[0]?.name).toBe('bash');
  });
});
