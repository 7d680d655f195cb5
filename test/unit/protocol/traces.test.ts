/**
 * Every recorded trace, re-encoded as the tmate client does (@msgpack/msgpack: smallest ints, text
 * as str — checked against each line's recorded `bytes`), concatenated per direction and fed to
 * the stream decoder split at random points; every message must parse to what the JSON says, and
 * re-encode to the client's exact bytes.
 */
import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { encodeInMessage, parseInMessage } from '../../../src/core/protocol/tmate/in-messages.js';
import type { InMessage, OutMessage } from '../../../src/core/protocol/tmate/messages.js';
import { encodeOutMessage, parseOutMessage } from '../../../src/core/protocol/tmate/out-messages.js';
import {
  canon,
  concat,
  decodeChunks,
  fixedSplit,
  loadTrace,
  prng,
  randomSplit,
  traceFiles,
  utf8,
  type TraceLine,
} from './helpers.js';

// The oracle below reads trace JSON, whose shape the test trusts; `any` keeps it short.
type J = any;

const grid = (g: J) => ({
  cx: g[0],
  cy: g[1],
  lines: g[2].map((l: J) => ({ text: utf8(l[0]), cells: l[1] })),
});

const copyState = (s: J) =>
  s.length === 0
    ? null
    : {
        backing: s[0],
        oy: s[1],
        cx: s[2],
        cy: s[3],
        selection: s[4].length ? { x: s[4][0], lineFromBottom: s[4][1], rect: s[4][2] !== 0 } : null,
        prompt: s[5].length ? { type: s[5][0], prompt: s[5][1], text: s[5][2] } : null,
      };

/** Expected OutMessage for a trace line, written straight from PROTOCOL.md §3.1. */
function expectedOut(m: J): OutMessage {
  switch (m[0]) {
    case 0: return { type: 'header', protocol: m[1], clientVersion: m[2] };
    case 1:
      return {
        type: 'sync-layout', cols: m[1], rows: m[2], activeWindowIndex: m[4],
        windows: m[3].map((w: J) => ({
          index: w[0], name: w[1], activePaneId: w[3],
          panes: w[2].map((p: J) => ({ id: p[0], cols: p[1], rows: p[2], xoff: p[3], yoff: p[4] })),
        })),
      };
    case 2: return { type: 'pty-data', paneId: m[1], data: utf8(m[2]) };
    case 3: return { type: 'exec-cmd-str', command: m[1] };
    case 4: return { type: 'failed-cmd', clientId: m[1], cause: m[2] };
    case 5: return { type: 'status', left: m[1], right: m[2] };
    case 6: return { type: 'sync-copy-mode', paneId: m[1], state: copyState(m[2]) };
    case 7: return { type: 'write-copy-mode', paneId: m[1], line: m[2] };
    case 8: return { type: 'fin' };
    case 9: return { type: 'ready' };
    case 10: return { type: 'reconnect', data: m[1] };
    case 11:
      return {
        type: 'snapshot',
        panes: m[1].map((p: J) => ({ id: p[0], mode: p[1], grid: grid(p[2]), saved: p[3] === null ? null : grid(p[3]) })),
      };
    case 12: return { type: 'exec-cmd', argv: m.slice(1) };
    case 13: return { type: 'uname', sysname: m[1], nodename: m[2], release: m[3], version: m[4], machine: m[5] };
    default: return { type: 'unknown', id: m[0] };
  }
}

function expectedIn(m: J): InMessage | { type: 'unknown'; id: number } {
  switch (m[0]) {
    case 0: return { type: 'notify', message: m[1] };
    case 1: return { type: 'legacy-pane-key', key: m[1] };
    case 2: return { type: 'resize', cols: m[1], rows: m[2] };
    case 3: return { type: 'exec-cmd-str', clientId: m[1], command: m[2] };
    case 4: return { type: 'set-env', name: m[1], value: m[2] };
    case 5: return { type: 'ready' };
    case 6: return { type: 'pane-key', paneId: m[1], key: m[2] };
    case 7: return { type: 'exec-cmd', clientId: m[1], argv: m.slice(2) };
    default: return { type: 'unknown', id: m[0] };
  }
}

const OUT_NAMES: Record<string, string> = {
  HEADER: 'header', SYNC_LAYOUT: 'sync-layout', PTY_DATA: 'pty-data', EXEC_CMD_STR: 'exec-cmd-str',
  FAILED_CMD: 'failed-cmd', STATUS: 'status', SYNC_COPY_MODE: 'sync-copy-mode',
  WRITE_COPY_MODE: 'write-copy-mode', FIN: 'fin', READY: 'ready', RECONNECT: 'reconnect',
  SNAPSHOT: 'snapshot', EXEC_CMD: 'exec-cmd', UNAME: 'uname',
};

const IN_NAMES: Record<string, string> = {
  NOTIFY: 'notify', LEGACY_PANE_KEY: 'legacy-pane-key', RESIZE: 'resize', EXEC_CMD_STR: 'exec-cmd-str',
  SET_ENV: 'set-env', READY: 'ready', PANE_KEY: 'pane-key', EXEC_CMD: 'exec-cmd',
};

/** The one deliberately malformed message of trace 11 (SET_ENV without a value; it killed the host). */
const isKnownMalformed = (l: TraceLine): boolean => l.dir === 's2c' && l.msg[0] === 4 && l.msg.length < 3;

function sameBytes(a: Uint8Array, b: Uint8Array, what: string): void {
  if (Buffer.compare(a, b) !== 0) expect(Buffer.from(a).toString('hex'), what).toBe(Buffer.from(b).toString('hex'));
}

function streamOf(lines: readonly TraceLine[]): Uint8Array {
  return concat(lines.map((l) => encode(l.msg)));
}

/** Decodes `chunks` and checks item i against line i. */
function checkStream(lines: readonly TraceLine[], chunks: readonly Uint8Array[], dir: 'c2s' | 's2c'): void {
  const items = decodeChunks(chunks);
  expect(items.length).toBe(lines.length);
  items.forEach((item, i) => {
    const line = lines[i]!;
    if (!item.ok) throw new Error(`line ${line.lineNo}: ${item.error.code} ${item.error.detail}`);
    expect(item.bytes).toBe(line.bytes ?? item.bytes);
    if (dir === 'c2s') checkOut(line, item.value);
    else checkIn(line, item.value);
  });
}

function checkOut(line: TraceLine, value: unknown): void {
  const r = parseOutMessage(value);
  if (!r.ok) throw new Error(`line ${line.lineNo}: ${r.error.detail}`);
  expect(r.value.type, `line ${line.lineNo}`).toBe(OUT_NAMES[line.name ?? ''] ?? 'unknown');
  expect(canon(r.value), `line ${line.lineNo}`).toBe(canon(expectedOut(line.msg)));
  // Byte-exact: what we encode is what the client sent.
  sameBytes(encodeOutMessage(r.value), encode(line.msg), `line ${line.lineNo}`);
}

function checkIn(line: TraceLine, value: unknown): void {
  const r = parseInMessage(value);
  if (isKnownMalformed(line)) {
    expect(r.ok ? 'ok' : r.error.code).toBe('PROTOCOL_BAD_FIELD');
    return;
  }
  if (!r.ok) throw new Error(`line ${line.lineNo}: ${r.error.detail}`);
  expect(r.value.type, `line ${line.lineNo}`).toBe(IN_NAMES[line.name ?? ''] ?? 'unknown');
  expect(canon(r.value), `line ${line.lineNo}`).toBe(canon(expectedIn(line.msg)));
  if (r.value.type === 'unknown') return;
  const enc = encodeInMessage(r.value);
  if (!enc.ok) throw new Error(`line ${line.lineNo}: ${enc.error.detail}`);
  sameBytes(enc.value, encode(line.msg), `line ${line.lineNo}`);
}

const files = traceFiles();

describe('recorded traces', () => {
  it('has traces, and the re-encoding matches every recorded byte count', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
    for (const f of files) {
      for (const l of loadTrace(f)) if (l.bytes !== undefined) expect(encode(l.msg).length, `${f}:${l.lineNo}`).toBe(l.bytes);
    }
  });

  for (const file of files) {
    for (const dir of ['c2s', 's2c'] as const) {
      const lines = loadTrace(file).filter((l) => l.dir === dir);
      if (lines.length === 0) continue;
      it(`${file} ${dir}: ${lines.length} messages, whole and split at random points`, () => {
        const stream = streamOf(lines);
        checkStream(lines, [stream], dir);
        for (const seed of [1, 2, 3, 4, 5]) checkStream(lines, randomSplit(stream, prng(seed), 4096), dir);
        checkStream(lines, randomSplit(stream, prng(99), 64), dir);
      });
    }
  }

  it('small traces survive 1-byte chunks', () => {
    for (const file of ['05-copy-mode.jsonl', '14-reference-server-viewer.jsonl', '20-key-encoding.jsonl']) {
      for (const dir of ['c2s', 's2c'] as const) {
        const lines = loadTrace(file).filter((l) => l.dir === dir);
        checkStream(lines, fixedSplit(streamOf(lines), 1), dir);
      }
    }
  });

  it('trace 18: the 132 KB SNAPSHOT arrives in 1 KiB chunks', () => {
    const lines = loadTrace('18-large-output-legacy-key.jsonl').filter((l) => l.dir === 'c2s');
    const snap = lines.find((l) => l.name === 'SNAPSHOT')!;
    expect(snap.bytes).toBeGreaterThan(130_000);
    checkStream(lines, fixedSplit(streamOf(lines), 1024), 'c2s');
  });

  it('trace 11: unknown IN type 42 parses as unknown, the malformed SET_ENV is a bad field', () => {
    const s2c = loadTrace('11-reply-modes.jsonl').filter((l) => l.dir === 's2c');
    expect(parseInMessage([42, utf8('x')])).toEqual({ ok: true, value: { type: 'unknown', id: 42 } });
    const bad = s2c.filter(isKnownMalformed);
    expect(bad).toHaveLength(1);
    const r = parseInMessage(bad[0]!.msg);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.detail).toContain('SET_ENV.value');
  });
});
