/**
 * OUT (host → relay): every kind round-trips encode → stream decoder → parse, and field errors
 * are values naming the message and field.
 */
import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import type { OutMessage, SnapshotGrid } from '../../../src/core/protocol/tmate/messages.js';
import { encodeOutMessage, parseOutMessage } from '../../../src/core/protocol/tmate/out-messages.js';
import { canon, concat, decodeChunks, fixedSplit, prng, randomSplit, utf8 } from './helpers.js';

const grid = (lines: number, cols: number): SnapshotGrid => ({
  cx: 3,
  cy: lines - 1,
  lines: Array.from({ length: lines }, (_, i) => ({
    text: utf8(`line ${i} é€😀`.padEnd(cols, ' ')),
    cells: Array.from({ length: cols }, (_, c) => (c % 7 === 0 ? 0x4000808 : 2056)),
  })),
});

/** One or more samples of every OUT kind, with edge values (int widths, long strings, bad UTF-8). */
const OUT_SAMPLES: OutMessage[] = [
  { type: 'header', protocol: 6, clientVersion: '2.4.0' },
  {
    type: 'sync-layout', cols: 80, rows: 23, activeWindowIndex: 1,
    windows: [
      { index: 0, name: 'bash', activePaneId: 0, panes: [{ id: 0, cols: 80, rows: 23, xoff: 0, yoff: 0 }] },
      {
        index: 1, name: '[tmux] ✓', activePaneId: 3,
        panes: [
          { id: 2, cols: 40, rows: 23, xoff: 0, yoff: 0 },
          { id: 3, cols: 39, rows: 23, xoff: 41, yoff: 0 },
        ],
      },
    ],
  },
  {
    type: 'sync-layout', cols: 65535, rows: 300, activeWindowIndex: 19,
    windows: Array.from({ length: 20 }, (_, i) => ({
      index: i, name: `w${i}`, activePaneId: i * 100,
      panes: Array.from({ length: 17 }, (_, p) => ({ id: i * 100 + p, cols: 3, rows: 2, xoff: p * 4, yoff: 70000 })),
    })),
  },
  { type: 'sync-layout', cols: 0, rows: 0, activeWindowIndex: -1, windows: [] },
  { type: 'pty-data', paneId: 0, data: utf8('\x1b[?2004hroot@vm:~# ') },
  { type: 'pty-data', paneId: 12345, data: new Uint8Array([0xe2, 0x82, 0xff, 0xc0, 0x80, 0x00]) },
  { type: 'pty-data', paneId: 1, data: new Uint8Array(70000).fill(0x79) },
  { type: 'pty-data', paneId: 2, data: new Uint8Array(0) },
  { type: 'exec-cmd-str', command: 'new-window -n "x y"' },
  { type: 'failed-cmd', clientId: -1, cause: 'unknown command: bogus-cmd' },
  { type: 'failed-cmd', clientId: 2 ** 40, cause: '' },
  { type: 'status', left: '[0] ', right: ' "vm" 08:37 30-Nov-26' },
  { type: 'sync-copy-mode', paneId: 0, state: null },
  { type: 'sync-copy-mode', paneId: 0, state: { backing: 1, oy: 0, cx: 23, cy: 38, selection: null, prompt: null } },
  {
    type: 'sync-copy-mode', paneId: 7,
    state: {
      backing: 0, oy: 37, cx: 0, cy: 36,
      selection: { x: 2, lineFromBottom: 37, rect: true },
      prompt: { type: 3, prompt: 'Search Up', text: '42' },
    },
  },
  { type: 'sync-copy-mode', paneId: 7, state: { backing: 1, oy: 300, cx: 1, cy: 2, selection: { x: 0, lineFromBottom: -3, rect: false }, prompt: null } },
  { type: 'write-copy-mode', paneId: 0, line: 'Tip: if you wish to use tmate only for remote access, run: tmate -F' },
  { type: 'fin' },
  { type: 'ready' },
  { type: 'reconnect', data: 'tracer1|lJ6G+cZ5Os5v' },
  { type: 'snapshot', panes: [] },
  {
    type: 'snapshot',
    panes: [
      { id: 0, mode: 1041, grid: grid(310, 40), saved: null },
      { id: 5, mode: 0x411 | 0x20, grid: grid(2, 3), saved: grid(24, 80) },
      { id: 6, mode: 0, grid: { cx: 0, cy: 0, lines: [{ text: new Uint8Array([0xff]), cells: [] }] }, saved: { cx: 0, cy: 0, lines: [] } },
    ],
  },
  { type: 'exec-cmd', argv: ['bind-key', '-n', 'MouseDown1Pane', 'select-pane', '-t=;', 'send-keys', '-M'] },
  { type: 'exec-cmd', argv: ['set-option', 'tmate-set', 'authorized_keys=ssh-ed25519 AAAA… me@host'] },
  { type: 'uname', sysname: 'Linux', nodename: 'vm', release: '6.18.44', version: '#1 SMP PREEMPT_DYNAMIC', machine: 'x86_64' },
  { type: 'unknown', id: 42 },
];

function roundTrip(messages: readonly OutMessage[], chunks: (b: Uint8Array) => Uint8Array[]): OutMessage[] {
  const stream = concat(messages.map(encodeOutMessage));
  return decodeChunks(chunks(stream)).map((item) => {
    if (!item.ok) throw new Error(item.error.detail);
    const r = parseOutMessage(item.value);
    if (!r.ok) throw new Error(r.error.detail);
    return r.value;
  });
}

describe('OUT messages round-trip', () => {
  it('covers every OUT kind', () => {
    const kinds = new Set(OUT_SAMPLES.map((m) => m.type));
    expect(kinds.size).toBe(15);
  });

  it('each sample alone', () => {
    for (const m of OUT_SAMPLES) {
      const back = roundTrip([m], (b) => [b]);
      if (encodeOutMessage(m).length < 5000) expect(back).toEqual([m]); // readable diffs
      else expect(canon(back)).toBe(canon([m]));
    }
  });

  it('all samples as one stream, split at random points', () => {
    for (const seed of [1, 2, 3]) {
      expect(canon(roundTrip(OUT_SAMPLES, (b) => randomSplit(b, prng(seed), 2048)))).toBe(canon(OUT_SAMPLES));
    }
  });

  it('small samples in 1-byte chunks', () => {
    const small = OUT_SAMPLES.filter((m) => encodeOutMessage(m).length < 300);
    expect(roundTrip(small, (b) => fixedSplit(b, 1))).toEqual(small);
  });

  it('encodes text like the client / @msgpack/msgpack (smallest ints, str)', () => {
    for (const m of OUT_SAMPLES) {
      if (m.type === 'exec-cmd') expect(encodeOutMessage(m)).toEqual(encode([12, ...m.argv]));
      if (m.type === 'failed-cmd') expect(encodeOutMessage(m)).toEqual(encode([4, m.clientId, m.cause]));
    }
    // PTY_DATA bytes go out as str (fixstr here), not bin.
    expect(encodeOutMessage({ type: 'pty-data', paneId: 0, data: utf8('e') })).toEqual(new Uint8Array([0x93, 2, 0, 0xa1, 0x65]));
  });

  it('refuses to encode a float (programming error: throws RangeError)', () => {
    expect(() => encodeOutMessage({ type: 'pty-data', paneId: 1.5, data: new Uint8Array() })).toThrow(RangeError);
  });
});

describe('parseOutMessage leniency and errors', () => {
  const bad = (v: unknown) => {
    const r = parseOutMessage(v);
    return r.ok ? `ok:${r.value.type}` : `${r.error.code}:${r.error.detail}`;
  };

  it('accepts bin or str, JS strings, extra trailing elements', () => {
    expect(parseOutMessage([5, utf8('l'), 'r', 'extra', [1]])).toEqual({ ok: true, value: { type: 'status', left: 'l', right: 'r' } });
    expect(parseOutMessage([8, 1, 2])).toEqual({ ok: true, value: { type: 'fin' } });
  });

  it('decodes text lossily but keeps PTY bytes', () => {
    const r = parseOutMessage([7, 0, new Uint8Array([0x61, 0xff])]);
    expect(r).toEqual({ ok: true, value: { type: 'write-copy-mode', paneId: 0, line: 'a\ufffd' } });
    const p = parseOutMessage([2, 0, new Uint8Array([0xff])]);
    expect(p.ok && p.value.type === 'pty-data' && [...p.value.data]).toEqual([0xff]);
  });

  it('HEADER without a version string (pre-2.2 clients) parses, so the relay can refuse the version', () => {
    expect(parseOutMessage([0, 4])).toEqual({ ok: true, value: { type: 'header', protocol: 4, clientVersion: '' } });
  });

  it('unknown ids are skipped, not errors', () => {
    expect(parseOutMessage([14, 'x'])).toEqual({ ok: true, value: { type: 'unknown', id: 14 } });
    expect(parseOutMessage([-1])).toEqual({ ok: true, value: { type: 'unknown', id: -1 } });
  });

  it('top level must be [int, …]', () => {
    for (const v of [null, 3, 'x', utf8('x'), {}, [], [utf8('1')], [1.5], [NaN], [2 ** 60], [true]]) {
      expect(bad(v)).toMatch(/^PROTOCOL_NOT_ARRAY/);
    }
  });

  it('names the message and field on a bad field', () => {
    expect(bad([2, utf8('0'), utf8('x')])).toBe('PROTOCOL_BAD_FIELD:PTY_DATA.paneId: expected an integer, got bytes(1)');
    expect(bad([2, 0])).toBe('PROTOCOL_BAD_FIELD:PTY_DATA.data: missing');
    expect(bad([2, 0.5, utf8('x')])).toMatch(/PTY_DATA.paneId: expected an integer, got float 0.5/);
    expect(bad([0, 6, 7])).toMatch(/HEADER.clientVersion/);
    expect(bad([5, utf8('l')])).toMatch(/STATUS.right: missing/);
    expect(bad([12, 'bind-key', 5])).toMatch(/EXEC_CMD.argv\[1\]/);
    expect(bad([13, 'a', 'b', 'c', 'd'])).toMatch(/UNAME.machine: missing/);
  });

  it('validates SYNC_LAYOUT nesting and geometry', () => {
    const layout = (pane: unknown[]) => [1, 80, 23, [[0, 'bash', [pane], 0]], 0];
    expect(bad(layout([0, 80, 23, 0, 0]))).toBe('ok:sync-layout');
    expect(bad(layout([0, -80, 23, 0, 0]))).toMatch(/SYNC_LAYOUT.windows\[0\].panes\[0\].sx: expected a non-negative integer/);
    expect(bad(layout([0, 80, 23, 0, 1.5]))).toMatch(/panes\[0\].yoff/);
    expect(bad(layout([0, 80, 23, 0]))).toMatch(/panes\[0\]: expected at least 5 elements/);
    expect(bad([1, 80, -1, [], 0])).toMatch(/SYNC_LAYOUT.sy/);
    expect(bad([1, 80, 23, [[0, 'bash', [], 0, 'extra']], 0, 'extra'])).toBe('ok:sync-layout');
    expect(bad([1, 80, 23, [[0, 'bash', {}, 0]], 0])).toMatch(/windows\[0\].panes: expected an array/);
    expect(bad([1, 80, 23, {}, 0])).toMatch(/SYNC_LAYOUT.windows: expected an array/);
    // The nesting comment of tmate-protocol.h (an extra wrapping array) is wrong: refused.
    expect(bad([1, [80, 23, [], 0]])).toMatch(/SYNC_LAYOUT.sx/);
  });

  it('validates SYNC_COPY_MODE state, selection and prompt', () => {
    expect(bad([6, 0, [1, 2, 3]])).toMatch(/SYNC_COPY_MODE.state: expected \[\] or at least 6/);
    expect(bad([6, 0, [1, 0, 0, 0, [1], []]])).toMatch(/state.sel: expected \[\] or at least 3/);
    expect(bad([6, 0, [1, 0, 0, 0, [], [3, 'p']]])).toMatch(/state.input: expected \[\] or at least 3/);
    expect(bad([6, 0, [1, 0, 0, 0, [], [3, 5, 'x']]])).toMatch(/state.input.prompt/);
    expect(bad([6, 0, null])).toMatch(/SYNC_COPY_MODE.state: expected an array, got nil/);
  });

  it('validates SNAPSHOT panes, grids and lines', () => {
    const pane = (g: unknown, saved: unknown = null) => [11, [[0, 1041, g, saved]]];
    expect(bad(pane([0, 0, [['ab', [2056, 2056]]]]))).toBe('ok:snapshot');
    expect(bad(pane([0, 0, [['ab', [2056, 2056.5]]]]))).toMatch(/SNAPSHOT.panes\[0\].grid.lines\[0\].cells.1/);
    expect(bad(pane([0, 0, [['ab']]]))).toMatch(/lines\[0\]: expected at least 2 elements/);
    expect(bad(pane([0, 0, [['ab', [1]]]], [0, 0]))).toMatch(/panes\[0\].saved: expected at least 3/);
    expect(bad(pane([0, 0, []], 5))).toMatch(/panes\[0\].saved: expected an array, got int 5/);
    expect(bad([11, [[0, 1041, [0, 0, []]]]])).toMatch(/panes\[0\]: expected at least 4 elements/);
  });
});
