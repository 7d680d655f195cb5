// Hostile and malformed hosts, end to end: in one relay, a healthy session (the real tmate 2.4.0
// host, a real OpenSSH viewer typing) runs while scripted hosts (RawHost: a real SSH connection
// speaking the protocol by hand) send wrong types, giant layouts, data for panes that do not
// exist, messages of 100 MB and streams cut mid-message.
//
// Invariants checked after every case: the hostile session is gone (or never existed), its own
// viewers were told why, the relay counted the protocol error, and the healthy viewer noticed
// nothing — still connected, no message on its screen, and it can still type.
import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { encodeOutMessage } from '../../src/core/protocol/tmate/out-messages.js';
import type { OutMessage } from '../../src/core/protocol/tmate/messages.js';
import { onCleanup, startTestRelay, type RelayFixture } from '../helpers/relay-fixture.js';
import type { SshViewer } from '../helpers/ssh-viewer.js';
import { run } from '../compat/shared-host-suite.js';
import { waitFor } from '../helpers/wait.js';
import { RawHost, ptyData, type Tokens } from './helpers/raw-host.js';
import { RawViewer } from './helpers/raw-viewer.js';
import { liveMemory } from './helpers/probes.js';

const MiB = 1024 * 1024;
const DISTURBED = /session ended|disconnected|malformed|host away|reconnect/;

interface Healthy {
  f: RelayFixture;
  viewer: SshViewer;
  /** Length of the viewer's raw output when the current case started. */
  mark: number;
}

/** A relay with one real session (tmate host, OpenSSH viewer) that must not notice anything. */
async function healthyRelay(): Promise<Healthy> {
  const f = await startTestRelay({ allowKeyless: true, reconnectGraceMs: 2000 });
  const { rw } = await f.readyHost();
  const viewer = await f.viewer(rw);
  await run(viewer, 'echo healthy-$((20+1))', 'healthy-21');
  return { f, viewer, mark: viewer.rawOutput().length };
}

/** The healthy viewer is still attached, saw no message since the mark, and still types and sees output. */
async function expectUndisturbed(h: Healthy, label: string): Promise<void> {
  expect(h.viewer.exitStatus, `${label}: the healthy viewer is still connected`).toBeUndefined();
  const since = h.viewer.rawOutput().slice(h.mark);
  expect(since, `${label}: nothing reached the healthy viewer`).not.toMatch(DISTURBED);
  const word = `still-${label.replace(/\W+/g, '-')}`;
  await run(h.viewer, `echo ${word}`, new RegExp(`^${word}$`, 'm'));
  h.mark = h.viewer.rawOutput().length;
}

/** A hostile host that got its session, with a viewer of its own attached. */
async function hostileSession(f: RelayFixture): Promise<{ host: RawHost & { tokens: Tokens }; viewer: RawViewer }> {
  const host = await RawHost.start({ port: f.port });
  onCleanup(() => host.close());
  const viewer = await RawViewer.connect({ port: f.port, token: host.tokens.rw, privateKey: null });
  onCleanup(() => viewer.close());
  await viewer.waitForOutput('A mate has joined'); // its first frame
  return { host, viewer };
}

function protocolErrors(f: RelayFixture, code: string): number {
  return f.running.relay.protocolErrorCounts.get(code) ?? 0;
}

/** The hostile session ended with a protocol error: host told and cut, viewer told, tokens gone. */
async function expectEndedForMalformed(f: RelayFixture, s: { host: RawHost & { tokens: Tokens }; viewer: RawViewer }, code: string, before: number): Promise<void> {
  await s.host.waitForClose();
  await s.viewer.waitForClose();
  // A layout over the limits is well formed: the notice says what it was.
  const told = code === 'PROTOCOL_LIMIT' ? "session ended: the host's session is larger than this relay accepts (layout: " : 'session ended: the host sent a malformed message';
  expect(s.viewer.output).toContain(told);
  expect(s.host.notices(code === 'PROTOCOL_LIMIT' ? 'larger than this relay accepts' : 'malformed message')).not.toEqual([]);
  expect(f.running.relay.registry.lookup(s.host.tokens.rw)).toBeUndefined();
  expect(protocolErrors(f, code)).toBe(before + 1);
}

function layoutOf(windows: number, panesPerWindow: number, cols: number, rows: number): OutMessage {
  let id = 0;
  return {
    type: 'sync-layout',
    cols,
    rows,
    windows: Array.from({ length: windows }, (_, index) => ({
      index,
      name: 'w',
      panes: Array.from({ length: panesPerWindow }, () => ({ id: id++, cols, rows, xoff: 0, yoff: 0 })),
      activePaneId: 0,
    })),
    activeWindowIndex: 0,
  };
}

describe('a hostile host ends only its own session', () => {
  it('wrong types, giant layouts and negative sizes: a protocol error for that session alone', async () => {
    const h = await healthyRelay();
    const cases: { label: string; bytes: Uint8Array; code: string }[] = [
      { label: 'string pane id', bytes: encode([2, 'zero', 'x']), code: 'PROTOCOL_BAD_FIELD' },
      { label: 'float pane id', bytes: encode([2, 0.5, 'x']), code: 'PROTOCOL_BAD_FIELD' },
      { label: 'type as string', bytes: encode(['2', 0, 'x']), code: 'PROTOCOL_NOT_ARRAY' },
      { label: 'map at top level', bytes: encode({ type: 2 }), code: 'PROTOCOL_NOT_ARRAY' },
      { label: 'bare integer', bytes: encode(7), code: 'PROTOCOL_NOT_ARRAY' },
      { label: 'layout with a string size', bytes: encode([1, '80', 23, [], 0]), code: 'PROTOCOL_BAD_FIELD' },
      { label: 'negative sizes', bytes: encode([1, 80, 23, [[0, 'bash', [[0, -80, -23, 0, 0]], 0]], 0]), code: 'PROTOCOL_BAD_FIELD' },
      { label: 'invalid msgpack', bytes: Uint8Array.of(0xc1), code: 'PROTOCOL_BAD_MSGPACK' },
      { label: '10k panes', bytes: encodeOutMessage(layoutOf(1, 10_000, 10, 10)), code: 'PROTOCOL_LIMIT' },
      { label: '100000x100000', bytes: encodeOutMessage(layoutOf(1, 1, 100_000, 100_000)), code: 'PROTOCOL_LIMIT' },
      // Within the per-pane limits, but 256 screens of 1000×1000 would be ~3 GB of emulators.
      { label: '256 windows of 1000x1000', bytes: encodeOutMessage(layoutOf(256, 1, 1000, 1000)), code: 'PROTOCOL_LIMIT' },
    ];
    const baseline = liveMemory();
    for (const c of cases) {
      const before = protocolErrors(h.f, c.code);
      const s = await hostileSession(h.f);
      s.host.sendRaw(c.bytes);
      await expectEndedForMalformed(h.f, s, c.code, before);
      expect(h.viewer.rawOutput().slice(h.mark), c.label).not.toMatch(DISTURBED);
    }
    expect(liveMemory() - baseline, 'memory kept after the giant layouts').toBeLessThan(64 * MiB);
    await expectUndisturbed(h, 'after the malformed hosts');
    expect(h.f.running.relay.registry.all()).toHaveLength(1);
  });

  it('data for panes that do not exist is dropped; the session and everyone else carry on', async () => {
    const h = await healthyRelay();
    const s = await hostileSession(h.f);
    for (const paneId of [1, 7, -1, -999, 2 ** 40, Number.MAX_SAFE_INTEGER]) s.host.send(ptyData('ghost output\r\n', paneId));
    for (let i = 0; i < 10_000; i++) s.host.send(ptyData('x', 100 + i));
    s.host.send({ type: 'write-copy-mode', paneId: 12345, line: 'ghost line' });
    s.host.send({ type: 'sync-copy-mode', paneId: 54321, state: null });
    s.host.send(ptyData('\r\nhostile-pane-0-alive\r\n'));
    await s.viewer.waitForOutput('hostile-pane-0-alive');
    expect(s.viewer.output).not.toContain('ghost');
    const session = h.f.running.relay.registry.lookup(s.host.tokens.rw)?.session;
    expect(session?.isEnded).toBe(false);
    for (const id of [1, 7, -1, 100, 10_099]) expect(session?.replica.pane(id)).toBeUndefined();
    expect(s.viewer.isOpen).toBe(true);
    await expectUndisturbed(h, 'after data for unknown panes');
  });

  it('a 100 MB message: refused at the size limit, whether declared up front or streamed, with bounded memory', async () => {
    const h = await healthyRelay();
    // Declared: a PTY_DATA whose str32 header claims 100 MB; refused before any of it is buffered.
    const declared = await hostileSession(h.f);
    let before = protocolErrors(h.f, 'PROTOCOL_TOO_LARGE');
    declared.host.sendRaw(Uint8Array.of(0x93, 0x02, 0x00, 0xdb, 0x06, 0x40, 0x00, 0x00));
    await expectEndedForMalformed(h.f, declared, 'PROTOCOL_TOO_LARGE', before);

    // Streamed: an EXEC_CMD of 2000 arguments of 60 000 bytes (120 MB), whose size only shows as it
    // arrives. The relay must cut it at 16 MiB and never hold more.
    const streamed = await hostileSession(h.f);
    before = protocolErrors(h.f, 'PROTOCOL_TOO_LARGE');
    const baseline = liveMemory();
    let peak = 0;
    const arg = new Uint8Array(3 + 60_000).fill(0x61);
    arg.set([0xda, 60_000 >> 8, 60_000 & 0xff]);
    streamed.host.sendRaw(Uint8Array.of(0xdd, 0x00, 0x00, 0x07, 0xd1, 0x0c)); // array32(2001), EXEC_CMD
    let sent = 6;
    for (let i = 0; i < 2000 && streamed.host.isOpen; i++) {
      if (!streamed.host.sendRaw(arg)) await Promise.race([streamed.host.drained(), streamed.host.closed]);
      sent += arg.length;
      if (i % 128 === 0) peak = Math.max(peak, liveMemory() - baseline);
    }
    await expectEndedForMalformed(h.f, streamed, 'PROTOCOL_TOO_LARGE', before);
    expect(sent, 'the relay hung up long before the whole body').toBeLessThan(40 * MiB);
    expect(peak, 'memory held while the body streamed').toBeLessThan(64 * MiB);
    expect(liveMemory() - baseline, 'memory kept afterwards').toBeLessThan(16 * MiB);
    await expectUndisturbed(h, 'after the 100 MB messages');
  });

  it('a stream cut mid-message: during the handshake nothing exists; afterwards the usual reconnect grace', async () => {
    const h = await healthyRelay();
    const sessions = (): number => h.f.running.relay.registry.all().length;
    // During the handshake: HEADER, then half of the next message, then the TCP connection drops.
    const early = await RawHost.connect({ port: h.f.port });
    onCleanup(() => early.close());
    early.send({ type: 'header', protocol: 6, clientVersion: '2.4.0' });
    const burst = encodeOutMessage({ type: 'exec-cmd', argv: ['bind-key', 'c', 'new-window'] });
    early.sendRaw(burst.subarray(0, 7));
    await early.drained();
    early.cut();
    await early.waitForClose();
    expect(early.received.filter((m) => m.type === 'set-env')).toEqual([]);
    expect(sessions()).toBe(1);

    // Established: half a PTY_DATA, then the drop. Its viewer is told, the tokens wait out the
    // grace (2 s here), then the session ends.
    const late = await hostileSession(h.f);
    const half = encodeOutMessage(ptyData('this message never ends '.repeat(100)));
    late.host.sendRaw(half.subarray(0, half.length >> 1));
    await late.host.drained();
    late.host.cut();
    await late.viewer.waitForOutput('host disconnected');
    expect(h.f.running.relay.registry.lookup(late.host.tokens.rw)).toBeDefined();
    await late.viewer.waitForOutput('session ended: the host disconnected and did not come back', 10_000);
    await late.viewer.waitForClose();
    await waitFor(() => h.f.running.relay.registry.lookup(late.host.tokens.rw) === undefined, { describe: () => 'the tokens to be released' });
    expect(sessions()).toBe(1);
    await expectUndisturbed(h, 'after the cut streams');
  });
});
