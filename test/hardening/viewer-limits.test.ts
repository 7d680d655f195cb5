// The per-viewer and per-host-link limits, checked without sockets (a manual clock, fake ports),
// where the end-to-end tests cannot reach them: a transport that cannot pause input, a stall timer
// racing a drain, the host link's byte-exact fast path for a paste's PANE_KEYs, and how large and
// how often a viewer may change its size.
//
// Invariants: queued input never exceeds MAX_QUEUED_INPUT (the excess is dropped and the viewer
// told), keys reach the host in order and only while it keeps up, a blocked terminal is dropped
// after exactly the stall timeout unless it drains first, and every PANE_KEY the host link writes
// is byte for byte what the validating encoder writes.
import { describe, expect, it } from 'vitest';
import { KeyTables } from '../../src/core/mux/key-table.js';
import { encodeInMessage } from '../../src/core/protocol/tmate/in-messages.js';
import { ManualClock } from '../../src/core/util/clock.js';
import { SessionReplica } from '../../src/core/mux/session-replica.js';
import { HostLink } from '../../src/server/relay/host-link.js';
import type { ByteChannel, ViewerTerminal } from '../../src/server/relay/ports.js';
import type { SessionFactory } from '../../src/server/relay/session-factory.js';
import { INPUT_SLICE, MAX_QUEUED_INPUT, MAX_VIEWER_CELLS, VIEWER_RESIZE_INTERVAL_MS, ViewerLink } from '../../src/server/relay/viewer-link.js';
import type { ViewerSession } from '../../src/server/relay/viewer-session.js';

interface Harness {
  viewer: ViewerLink;
  clock: ManualClock;
  sent: number[];
  dropped: string[];
  flashes: () => string;
  paused: () => boolean;
  setBusy(busy: boolean): void;
  setWritable(writable: boolean): void;
  drain(): void;
  /** How often the session heard of a size change. */
  resizes(): number;
}

function harness(stallTimeoutMs = 0): Harness {
  const clock = new ManualClock();
  const sent: number[] = [];
  const dropped: string[] = [];
  let busy = false;
  let writable = true;
  let paused = false;
  let status = '';
  let resized = 0;
  let drainCallback: () => void = () => undefined;
  const session: ViewerSession = {
    keys: new KeyTables(),
    requestRender: () => undefined,
    viewerResized: () => void resized++,
    statusFor: (_viewer, message) => {
      status = message ?? status;
      return { left: '', windows: [], right: '', message };
    },
    detach: () => undefined,
    sendKey: (key) => void sent.push(key),
    runOnHost: () => undefined,
    wantsBracketedPaste: () => false,
    noteActivity: () => undefined,
    describe: () => '',
    clientLines: () => [],
    expandFormat: (text) => text,
    hostBusy: () => busy,
    dropViewer: (_viewer, reason) => void dropped.push(reason),
  };
  const terminal: ViewerTerminal = {
    kind: 'test',
    remoteAddress: '127.0.0.1',
    write: () => writable,
    onDrain: (callback) => (drainCallback = callback),
    close: () => undefined,
    pauseInput: () => (paused = true),
    resumeInput: () => (paused = false),
  };
  const viewer = new ViewerLink(1, { ip: '127.0.0.1', fingerprint: null, readOnly: false }, 80, 24, terminal, session, clock, { stallTimeoutMs });
  return {
    viewer,
    clock,
    sent,
    dropped,
    flashes: () => {
      viewer.render(null, '');
      return status;
    },
    paused: () => paused,
    setBusy: (b) => (busy = b),
    setWritable: (w) => (writable = w),
    drain: () => drainCallback(),
    resizes: () => resized,
  };
}

/** Lets pending setImmediate callbacks (the next input slices) run. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe('viewer input limits', () => {
  it('handles a paste one slice per turn, in order, and pauses the transport meanwhile', async () => {
    const h = harness();
    const paste = Buffer.alloc(8 * INPUT_SLICE, 'a');
    paste[paste.length - 1] = 0x7a; // z
    h.viewer.input(paste);
    expect(h.sent).toHaveLength(INPUT_SLICE);
    expect(h.paused()).toBe(true);
    while (h.viewer.pendingInput > 0) await nextTurn();
    expect(h.sent).toHaveLength(paste.length);
    expect(h.sent.at(-1)).toBe(0x7a);
    expect(h.paused()).toBe(false);
  });

  it('waits while the host is busy, caps what it keeps, and tells the viewer what it dropped', async () => {
    const h = harness();
    h.setBusy(true);
    const chunk = Buffer.alloc(256 * 1024, 'b');
    for (let i = 0; i < 5; i++) h.viewer.input(chunk);
    expect(h.sent).toHaveLength(0);
    expect(h.viewer.pendingInput).toBe(MAX_QUEUED_INPUT);
    expect(h.flashes()).toMatch(/Input arrives faster than the host takes it: 262144 bytes dropped/);
    h.setBusy(false);
    h.viewer.hostDrained();
    while (h.viewer.pendingInput > 0) await nextTurn();
    expect(h.sent).toHaveLength(MAX_QUEUED_INPUT);
  });
});

describe('viewer sizes', () => {
  it('draws a huge terminal at most MAX_VIEWER_CELLS cells', () => {
    const h = harness();
    h.viewer.resize(1000, 1000);
    expect(h.viewer.size).toEqual({ cols: 1000, rows: MAX_VIEWER_CELLS / 1000 });
  });

  it('applies a storm of size changes at most once per interval, ending at the last size', () => {
    const h = harness();
    h.viewer.resize(100, 30);
    expect(h.resizes()).toBe(1);
    for (let i = 0; i < 500; i++) h.viewer.resize(500 + (i % 2), 400);
    expect(h.resizes()).toBe(1);
    h.clock.advance(VIEWER_RESIZE_INTERVAL_MS);
    expect(h.resizes()).toBe(2);
    expect(h.viewer.size).toEqual({ cols: 501, rows: 400 });
    h.viewer.resize(120, 40);
    expect(h.viewer.size).toEqual({ cols: 501, rows: 400 });
    h.clock.advance(VIEWER_RESIZE_INTERVAL_MS);
    expect(h.viewer.size).toEqual({ cols: 120, rows: 40 });
  });
});

describe('stalled viewers', () => {
  it('drops a terminal that stays blocked for the whole stall timeout', () => {
    const h = harness(30_000);
    h.setWritable(false);
    h.viewer.flash('frame while blocked');
    h.viewer.render(null, '');
    h.clock.advance(29_999);
    expect(h.dropped).toEqual([]);
    h.clock.advance(1);
    expect(h.dropped).toEqual(['disconnected: your terminal read nothing for 30s']);
  });

  it('keeps a terminal that drains in time, however often it blocks', () => {
    const h = harness(30_000);
    for (let i = 0; i < 10; i++) {
      h.setWritable(false);
      h.viewer.flash(`frame ${i}`);
      h.viewer.render(null, '');
      h.clock.advance(20_000);
      h.setWritable(true);
      h.drain();
    }
    h.clock.advance(60_000);
    expect(h.dropped).toEqual([]);
  });
});

describe('host link output', () => {
  it('writes a burst in one chunk, PANE_KEYs byte for byte as the validating encoder does', async () => {
    const writes: Uint8Array[] = [];
    const channel: ByteChannel = { kind: 'test', remoteAddress: '127.0.0.1', write: (data) => void writes.push(data), close: () => undefined };
    const factory = {
      limits: { maxMessageSize: 1 << 20 },
      newReplica: () => new SessionReplica(),
      log: { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined },
      countProtocolError: () => undefined,
      establish: () => null,
    } as unknown as SessionFactory; // only what HostLink uses
    const link = new HostLink(channel, factory);
    const keys = [0, 1, 0x1f, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 0xffffffff, 0x100000000, 2 ** 40];
    const panes = [-1, -32, -33, 0, 5, 0x7f, 0x80, 0xffff, 0x10000];
    const expected: number[] = [];
    for (const paneId of panes) {
      for (const key of keys) {
        link.send({ type: 'pane-key', paneId, key });
        const encoded = encodeInMessage({ type: 'pane-key', paneId, key });
        if (!encoded.ok) throw new Error(encoded.error.detail);
        expected.push(...encoded.value);
      }
    }
    link.send({ type: 'notify', message: 'after the keys' });
    const notify = encodeInMessage({ type: 'notify', message: 'after the keys' });
    if (!notify.ok) throw new Error(notify.error.detail);
    expected.push(...notify.value);
    expect(writes).toHaveLength(0); // written at the end of the burst
    await Promise.resolve();
    expect(writes).toHaveLength(1);
    expect([...writes[0]!]).toEqual(expected);
  });
});
