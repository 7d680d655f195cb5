/**
 * TmateStreamDecoder: framing at arbitrary split points, size limit, invalid msgpack, poisoning,
 * and large messages in small chunks (linear by design; see the header of stream-decoder.ts).
 */
import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { TmateStreamDecoder, type DecodedItem } from '../../../src/core/protocol/tmate/stream-decoder.js';
import { encodeOutMessage, parseOutMessage } from '../../../src/core/protocol/tmate/out-messages.js';
import { canon, concat, decodeChunks, fixedSplit, prng, randomSplit, utf8 } from './helpers.js';

const codes = (items: readonly DecodedItem[]) => items.map((i) => (i.ok ? 'ok' : i.error.code));

describe('TmateStreamDecoder framing', () => {
  const values: unknown[] = [
    [0, 6, utf8('2.4.0')],
    [9],
    [2, 0, new Uint8Array(300).fill(0x41)],
    [1, 80, 23, [[0, utf8('bash'), [[0, 80, 23, 0, 0]], 0]], 0],
    null,
    -1,
    2 ** 40,
    -(2 ** 40),
    1.5,
    true,
    { a: 1 },
    [new Uint8Array(70000)],
    Array.from({ length: 70000 }, (_, i) => i % 200),
  ];
  const encoded = values.map((v) => encode(v));
  const stream = concat(encoded);

  it('returns str as raw bytes and reports each object size', () => {
    const items = decodeChunks([stream]);
    expect(items.map((i) => (i.ok ? i.bytes : -1))).toEqual(encoded.map((e) => e.length));
    const first = items[0]!;
    expect(first.ok && first.value).toEqual([0, 6, utf8('2.4.0')]);
  });

  it('gives the same objects for every split', () => {
    const expected = canon(decodeChunks([stream]));
    expect(expected).toContain('hex:41414141'); // the canonical form does see the bytes
    for (const seed of [1, 2, 3, 4, 5, 6]) expect(canon(decodeChunks(randomSplit(stream, prng(seed), 5000)))).toBe(expected);
    const small = concat(encoded.slice(0, 11));
    expect(canon(decodeChunks(fixedSplit(small, 1)))).toBe(canon(decodeChunks([small])));
  });

  it('buffers a truncated message until its last byte arrives, across empty feeds', () => {
    const msg = encodeOutMessage({ type: 'status', left: 'left', right: 'right' });
    const d = new TmateStreamDecoder();
    expect(d.feed(msg.subarray(0, msg.length - 1))).toEqual([]);
    expect(d.feed(new Uint8Array(0))).toEqual([]);
    const items = d.feed(msg.subarray(msg.length - 1));
    expect(codes(items)).toEqual(['ok']);
    expect(items[0]!.ok && parseOutMessage(items[0]!.value)).toEqual({ ok: true, value: { type: 'status', left: 'left', right: 'right' } });
  });

  it('values do not alias the decoder buffer (later feeds do not change earlier values)', () => {
    const d = new TmateStreamDecoder();
    const first = d.feed(encode([2, 0, 'aaaa']));
    d.feed(encode([2, 0, 'bbbb']));
    d.feed(new Uint8Array(10000).fill(0xc0));
    expect(first[0]!.ok && first[0]!.value).toEqual([2, 0, utf8('aaaa')]);
  });
});

describe('TmateStreamDecoder errors', () => {
  it('invalid msgpack → one BAD_MSGPACK after the good objects, then poisoned', () => {
    const d = new TmateStreamDecoder();
    const items = d.feed(concat([encode([9]), encode([8]), new Uint8Array([0x92, 0x01, 0xc1]), encode([9])]));
    expect(codes(items)).toEqual(['ok', 'ok', 'PROTOCOL_BAD_MSGPACK']);
    expect(d.feed(encode([9]))).toEqual([]);
  });

  it('structurally valid but unrepresentable → BAD_MSGPACK (bin map key, bad timestamp ext)', () => {
    expect(codes(decodeChunks([new Uint8Array([0x81, 0xc4, 0x01, 0x61, 0x01])]))).toEqual(['PROTOCOL_BAD_MSGPACK']);
    expect(codes(decodeChunks([new Uint8Array([0xd4, 0xff, 0x00])]))).toEqual(['PROTOCOL_BAD_MSGPACK']);
    expect(codes(decodeChunks([new Uint8Array([0x81, 0xa9, ...utf8('__proto__'), 1])]))).toEqual(['PROTOCOL_BAD_MSGPACK']);
  });

  it('huge declared lengths fail at once, before their bytes are buffered', () => {
    const headers = [
      [0xdb, 0xff, 0xff, 0xff, 0xff], // str32 of 4 GiB
      [0xc6, 0xff, 0xff, 0xff, 0xff], // bin32
      [0xc9, 0xff, 0xff, 0xff, 0xff, 0x01], // ext32
      [0xdd, 0xff, 0xff, 0xff, 0xff], // array32 of 4 G items
      [0xdf, 0xff, 0xff, 0xff, 0xff], // map32
      [0x93, 0x02, 0x00, 0xdb, 0x01, 0x00, 0x00, 0x01], // PTY_DATA with a 16 MiB + 1 str
    ];
    for (const h of headers) {
      const d = new TmateStreamDecoder();
      expect(codes(d.feed(new Uint8Array(h)))).toEqual(['PROTOCOL_TOO_LARGE']);
      expect(d.feed(new Uint8Array(100))).toEqual([]);
    }
  });

  it('limit is inclusive: exactly maxMessageBytes passes, one more byte fails once', () => {
    const exact = encode([2, 0, 'x'.repeat(994)]);
    expect(exact.length).toBe(1000);
    expect(codes(decodeChunks(fixedSplit(exact, 7), { maxMessageBytes: 1000 }))).toEqual(['ok']);
    const over = encode([2, 0, 'x'.repeat(995)]);
    const d = new TmateStreamDecoder({ maxMessageBytes: 1000 });
    const seen = fixedSplit(over, 1).flatMap((c) => d.feed(c));
    expect(codes(seen)).toEqual(['PROTOCOL_TOO_LARGE']);
  });

  it('an object of many small items over the limit fails while streaming', () => {
    const big = encode(Array.from({ length: 3000 }, () => 1));
    const d = new TmateStreamDecoder({ maxMessageBytes: 1000 });
    const seen = fixedSplit(big, 100).flatMap((c) => d.feed(c));
    expect(codes(seen)).toEqual(['PROTOCOL_TOO_LARGE']);
  });

  it('invalid options fall back to the default limit instead of throwing', () => {
    for (const m of [0, -1, 1.5, NaN]) expect(codes(new TmateStreamDecoder({ maxMessageBytes: m }).feed(encode([9])))).toEqual(['ok']);
  });
});

describe('TmateStreamDecoder with large messages', () => {
  // Not a timing assertion: a quadratic decoder would take minutes here (4096 re-parses of up to
  // 4 MiB); the scanner resumes where it stopped, so this is ~linear (tens of ms).
  it('a 4 MiB PTY_DATA in 1 KiB chunks', () => {
    const data = new Uint8Array(4 * 1024 * 1024);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31) & 0xff;
    const msg = encodeOutMessage({ type: 'pty-data', paneId: 3, data });
    const items = decodeChunks(fixedSplit(msg, 1024));
    expect(codes(items)).toEqual(['ok']);
    const r = items[0]!.ok ? parseOutMessage(items[0]!.value) : null;
    expect(r?.ok && r.value.type === 'pty-data' && Buffer.compare(r.value.data, data)).toBe(0);
  });

  it('a 4 MiB SNAPSHOT of ~2M cell ints in 1 KiB chunks', () => {
    const cells = Array.from({ length: 2_000_000 }, (_, i) => (i % 3 === 0 ? 0x4000808 : 2056));
    const msg = encode([11, [[0, 1041, [0, 0, [['x', cells]]], null]]]);
    expect(msg.length).toBeGreaterThan(4_000_000);
    const items = decodeChunks(fixedSplit(msg, 1024));
    expect(codes(items)).toEqual(['ok']);
    const r = items[0]!.ok ? parseOutMessage(items[0]!.value) : null;
    expect(r?.ok && r.value.type === 'snapshot' && r.value.panes[0]!.grid.lines[0]!.cells.length).toBe(2_000_000);
  });
});
