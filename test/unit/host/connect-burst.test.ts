/**
 * The connect burst: the engine must open every connection exactly as the stock tmate 2.4.0
 * client does (trace 01 for a first connection, 06 for a reconnect, 10 for the CLI options).
 */
import { describe, expect, it } from 'vitest';
import { makeEngine, readTrace, wireLayout, type SyncLayout } from './helpers.js';
import type { OutMessage } from '../../../src/core/protocol/tmate/messages.js';

/** What the tmate client sent in a trace before its READY, minus config-file options. */
function traceBurst(file: string): unknown[][] {
  const out: unknown[][] = [];
  for (const event of readTrace(file)) {
    if (event.dir !== 'c2s' || !event.msg) continue;
    const msg = event.msg;
    if (msg[0] === 12 && msg[1] === 'set-option' && msg[2] === '-g' && String(msg[3]).startsWith('tmate-server')) continue;
    out.push(msg);
    if (msg[0] === 9) break;
  }
  return out;
}

function wire(message: OutMessage): unknown[] {
  switch (message.type) {
    case 'header': return [0, message.protocol, message.clientVersion];
    case 'reconnect': return [10, message.data];
    case 'exec-cmd': return [12, ...message.argv];
    case 'uname': return [13, message.sysname, message.nodename, message.release, message.version, message.machine];
    case 'ready': return [9];
    case 'sync-layout': return wireLayout(message);
    default: return [message.type];
  }
}

describe('connect burst', () => {
  it('is trace 01 exactly: HEADER, 83 bind-keys, status-keys, UNAME, READY, then the layout and a snapshot', () => {
    const { engine } = makeEngine();
    const burst = engine.connectMessages(null);
    const expected = traceBurst('01-connect-ready.jsonl');
    expect(expected.filter((m) => m[1] === 'bind-key')).toHaveLength(83);
    expect(burst.slice(0, expected.length).map(wire)).toEqual(expected);
    const rest = burst.slice(expected.length);
    expect(rest.map(wire)[0]).toEqual([1, 80, 23, [[0, 'bash', [[0, 80, 23, 0, 0]], 0]], 0]);
    // Unlike tmate (which queues output until it connects), the engine sends what it printed
    // before connecting as a SNAPSHOT right after the layout.
    expect(rest.map((m) => m.type)).toEqual(['sync-layout', 'snapshot']);
  });

  it('on a reconnect puts RECONNECT right after HEADER and the SNAPSHOT after the layout (trace 06)', () => {
    const { engine, pty } = makeEngine();
    pty.pane(0).output('root@vm:/home/ci/repo# ');
    const burst = engine.connectMessages('tracer1|ozkF1+wQasb9');
    expect(burst.slice(0, 2)).toEqual([
      { type: 'header', protocol: 6, clientVersion: '2.4.0' },
      { type: 'reconnect', data: 'tracer1|ozkF1+wQasb9' },
    ]);
    const types = burst.map((m) => m.type);
    expect(types.slice(-4)).toEqual(['uname', 'ready', 'sync-layout', 'snapshot']);
    const snapshot = burst[burst.length - 1] as Extract<OutMessage, { type: 'snapshot' }>;
    expect(snapshot.panes.map((p) => p.id)).toEqual([0]);
    expect(new TextDecoder().decode(snapshot.panes[0]?.grid.lines[0]?.text)).toBe('root@vm:/home/ci/repo# ');
  });

  it('sends the CLI options in tmate order without -g (trace 10), then relay options; vi status-keys', () => {
    const { engine } = makeEngine({
      keyMode: 'vi',
      tmateOptions: {
        apiKey: 'tmk-0123456789abcdefghijklmnopq',
        sessionName: 'mysession',
        sessionNameRo: 'myro',
        authorizedKeys: ['# comment', '', 'ssh-ed25519 AAAAC3Nza host-user-key\n'],
      },
      relayOptions: { 'tmate-relay-ttl': '2h' },
    });
    const commands = engine
      .connectMessages(null)
      .flatMap((m) => (m.type === 'exec-cmd' && m.argv[0] !== 'bind-key' ? [m.argv] : []));
    expect(commands).toEqual([
      ['set-option', '-g', 'status-keys', 'vi'],
      ['set-window-option', '-g', 'status-keys', 'vi'],
      ['set-option', 'tmate-api-key', 'tmk-0123456789abcdefghijklmnopq'],
      ['set-option', 'tmate-session-name', 'mysession'],
      ['set-option', 'tmate-session-name-ro', 'myro'],
      ['set-option', 'tmate-authorized-keys', '(inline)'],
      ['set-option', 'tmate-set', 'authorized_keys=ssh-ed25519 AAAAC3Nza host-user-key'],
      ['set-option', 'tmate-relay-ttl', '2h'],
    ]);
  });

  it('uses the given client version; its layout counts as sent, the next change is sent', () => {
    const h = makeEngine({ clientVersion: '2.4.1' }, false);
    expect(h.engine.connectMessages(null).map((m) => m.type)).not.toContain('sync-layout');
    h.engine.start();
    const burst = h.engine.connectMessages(null);
    expect(burst[0]).toEqual({ type: 'header', protocol: 6, clientVersion: '2.4.1' });
    const layout = burst.find((m): m is SyncLayout => m.type === 'sync-layout');
    expect(layout?.windows[0]?.name).toBe('bash');
    const before = h.messages.length;
    h.engine.handle({ type: 'resize', cols: 80, rows: 23 });
    expect(h.messages.length).toBe(before);
    h.engine.handle({ type: 'resize', cols: 81, rows: 23 });
    expect(h.messages.slice(before).map((m) => m.type)).toEqual(['sync-layout']);
  });
});
