/**
 * IN (relay → host): every kind round-trips, and encodeInMessage refuses anything that would be
 * fatal to the host's tmate (floats, NaN, unsafe ints, missing or non-string strings).
 */
import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { encodeInMessage, parseInMessage } from '../../../src/core/protocol/tmate/in-messages.js';
import type { InMessage } from '../../../src/core/protocol/tmate/messages.js';
import { concat, decodeChunks, fixedSplit, prng, randomSplit } from './helpers.js';

const IN_SAMPLES: InMessage[] = [
  { type: 'notify', message: 'ssh session: ssh -p2222 weW8gvQXCrjYxpRt3qhGNwhwC@127.0.0.1' },
  { type: 'notify', message: 'é€😀'.repeat(30000) },
  { type: 'legacy-pane-key', key: 120 },
  { type: 'resize', cols: 100, rows: 29 },
  { type: 'resize', cols: -1, rows: -1 },
  { type: 'exec-cmd-str', clientId: 7, command: 'select-window -t 1 ; split-window -v' },
  { type: 'set-env', name: 'tmate_ssh', value: 'ssh -p2222 x@127.0.0.1' },
  { type: 'set-env', name: 'tmate_num_clients', value: '' },
  { type: 'ready' },
  { type: 'pane-key', paneId: -1, key: 13 },
  { type: 'pane-key', paneId: 2 ** 31, key: 158329674399809 },
  { type: 'pane-key', paneId: -(2 ** 40), key: Number.MAX_SAFE_INTEGER },
  { type: 'exec-cmd', clientId: -1, argv: ['rename-window', '-t', '2', 'renamed'] },
  { type: 'exec-cmd', clientId: 1, argv: ['copy-mode'] },
];

function encodeAll(messages: readonly InMessage[]): Uint8Array {
  return concat(
    messages.map((m) => {
      const r = encodeInMessage(m);
      if (!r.ok) throw new Error(r.error.detail);
      return r.value;
    }),
  );
}

function roundTrip(messages: readonly InMessage[], chunks: (b: Uint8Array) => Uint8Array[]): unknown[] {
  return decodeChunks(chunks(encodeAll(messages))).map((item) => {
    if (!item.ok) throw new Error(item.error.detail);
    const r = parseInMessage(item.value);
    if (!r.ok) throw new Error(r.error.detail);
    return r.value;
  });
}

describe('IN messages round-trip', () => {
  it('covers every IN kind', () => {
    expect(new Set(IN_SAMPLES.map((m) => m.type)).size).toBe(8);
  });

  it('whole, random splits, and 1-byte chunks', () => {
    expect(roundTrip(IN_SAMPLES, (b) => [b])).toEqual(IN_SAMPLES);
    for (const seed of [1, 2, 3]) expect(roundTrip(IN_SAMPLES, (b) => randomSplit(b, prng(seed), 1024))).toEqual(IN_SAMPLES);
    const small = IN_SAMPLES.filter((m) => m.type !== 'notify' || m.message.length < 100);
    expect(roundTrip(small, (b) => fixedSplit(b, 1))).toEqual(small);
  });

  it('encodes exactly like the tracer / reference server did', () => {
    const bytes = (m: InMessage) => {
      const r = encodeInMessage(m);
      return r.ok ? r.value : null;
    };
    expect(bytes({ type: 'resize', cols: -1, rows: -1 })).toEqual(encode([2, -1, -1]));
    expect(bytes({ type: 'pane-key', paneId: -1, key: 17592186044461 })).toEqual(encode([6, -1, 17592186044461]));
    expect(bytes({ type: 'exec-cmd', clientId: 1, argv: ['select-window', '-t', ':=0'] })).toEqual(
      encode([7, 1, 'select-window', '-t', ':=0']),
    );
    expect(bytes({ type: 'ready' })).toEqual(new Uint8Array([0x91, 0x05]));
  });

  it('parses unknown ids as unknown and ignores extra elements', () => {
    expect(parseInMessage([42, 'x'])).toEqual({ ok: true, value: { type: 'unknown', id: 42 } });
    expect(parseInMessage([5, 'extra'])).toEqual({ ok: true, value: { type: 'ready' } });
    const r = parseInMessage([4, 'tmate_ssh']);
    expect(r.ok ? null : r.error).toEqual({ code: 'PROTOCOL_BAD_FIELD', detail: 'SET_ENV.value: missing' });
    expect(parseInMessage({}).ok).toBe(false);
  });
});

describe('encodeInMessage refuses what would kill the host', () => {
  // Deliberately ill-typed messages, as a buggy caller could produce at run time.
  const refuse = (m: unknown): string => {
    const r = encodeInMessage(m as InMessage);
    return r.ok ? 'encoded' : `${r.error.code}:${r.error.detail}`;
  };

  it('floats, NaN, infinities, unsafe ints, bigints, numeric strings', () => {
    for (const bad of [1.5, NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 53), 10n, '5', null, undefined, true]) {
      expect(refuse({ type: 'resize', cols: 80, rows: bad })).toMatch(/^PROTOCOL_BAD_OUTGOING:RESIZE.sy: expected a safe integer/);
      expect(refuse({ type: 'pane-key', paneId: -1, key: bad })).toMatch(/^PROTOCOL_BAD_OUTGOING:PANE_KEY.key/);
      expect(refuse({ type: 'legacy-pane-key', key: bad })).toMatch(/^PROTOCOL_BAD_OUTGOING:LEGACY_PANE_KEY.key/);
      expect(refuse({ type: 'exec-cmd', clientId: bad, argv: ['x'] })).toMatch(/^PROTOCOL_BAD_OUTGOING:EXEC_CMD.clientId/);
    }
  });

  it('missing or non-string string fields', () => {
    expect(refuse({ type: 'set-env', name: 'tmate_ssh' })).toMatch(/SET_ENV.value: expected a string, got undefined/);
    expect(refuse({ type: 'set-env', name: 'a', value: null })).toMatch(/SET_ENV.value: expected a string, got nil/);
    expect(refuse({ type: 'set-env', name: new Uint8Array(1), value: 'v' })).toMatch(/SET_ENV.name/);
    expect(refuse({ type: 'notify' })).toMatch(/NOTIFY.message/);
    expect(refuse({ type: 'exec-cmd-str', clientId: 1, command: 5 })).toMatch(/EXEC_CMD_STR.command/);
    expect(refuse({ type: 'exec-cmd-str', command: 'x' })).toMatch(/EXEC_CMD_STR.clientId/);
  });

  it('EXEC_CMD argv must be a non-empty array of strings', () => {
    expect(refuse({ type: 'exec-cmd', clientId: 1, argv: [] })).toMatch(/EXEC_CMD.argv: expected a non-empty array/);
    expect(refuse({ type: 'exec-cmd', clientId: 1, argv: 'new-window' })).toMatch(/EXEC_CMD.argv/);
    expect(refuse({ type: 'exec-cmd', clientId: 1, argv: ['new-window', 3] })).toMatch(/EXEC_CMD.argv\[1\]/);
  });

  it('not a message / unknown type', () => {
    expect(refuse(null)).toMatch(/^PROTOCOL_BAD_OUTGOING/);
    expect(refuse('ready')).toMatch(/^PROTOCOL_BAD_OUTGOING/);
    expect(refuse({ type: 'unknown', id: 42 })).toMatch(/^PROTOCOL_BAD_OUTGOING:IN: unknown message type "unknown"/);
    expect(refuse({})).toMatch(/^PROTOCOL_BAD_OUTGOING/);
  });
});
