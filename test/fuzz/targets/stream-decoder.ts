/**
 * Fuzz target `stream-decoder`: the host channel's byte stream (TmateStreamDecoder, then
 * parseOutMessage as the host link does).
 *
 * Inputs: runs of consecutive host messages cut from the recorded traces (as the tmate client
 * encoded them), random bytes, and encoded random value trees; then byte mutations (flip, insert,
 * delete, truncate, duplicate a range, plant a str32/array32/map32/bin32/ext32 header claiming
 * ~4 GiB), split into chunks of random sizes, with random (small) message-size and object caps.
 *
 * Property: feed never throws; the items do not depend on the chunking (whole input = any split);
 * at most one error, always the last item, and nothing after it (poisoned); every item is within
 * the size cap; an unmutated trace run decodes to exactly its messages, all of which parse.
 * Memory: after every feed the decoder's buffer is within 2 × (cap + chunk) + 4 KiB, it holds
 * nothing once poisoned, and an idle decoder keeps at most 256 KiB (read from its private fields:
 * test-only introspection, no API was added for it).
 */
import { Decoder, encode } from '@msgpack/msgpack';
import fc from 'fast-check';
import type { ErrorCode } from '../../../src/core/errors.js';
import { parseOutMessage } from '../../../src/core/protocol/tmate/out-messages.js';
import { TmateStreamDecoder, type DecodedItem, type TmateStreamDecoderOptions } from '../../../src/core/protocol/tmate/stream-decoder.js';
import { concat } from '../../unit/protocol/helpers.js';
import { check, checkSync, type FuzzTarget } from '../fuzz-target.js';
import { byteMutation, canon, chunk, hostileTree, mutateBytes, traceSeeds, type ByteMutation } from '../seeds.js';

const STREAM_CODES: ReadonlySet<ErrorCode> = new Set(['PROTOCOL_BAD_MSGPACK', 'PROTOCOL_TOO_LARGE']);
const PARSE_CODES: ReadonlySet<ErrorCode> = new Set(['PROTOCOL_NOT_ARRAY', 'PROTOCOL_BAD_FIELD']);
const DEFAULT_MAX = 16 * 1024 * 1024;
const RETAINED = 256 * 1024;

/** The decoder's private state, read for the memory checks only. */
interface DecoderInternals {
  buf: Uint8Array;
  start: number;
  end: number;
  poisoned: boolean;
}

function internals(d: TmateStreamDecoder): DecoderInternals {
  return d as unknown as DecoderInternals;
}

interface Source {
  bytes: Uint8Array;
  /** The messages these bytes encode, when they come unmodified from a trace. */
  messages: Uint8Array[] | null;
}

interface Case {
  source: Source;
  mutations: ByteMutation[];
  chunks: number[];
  options: TmateStreamDecoderOptions;
}

function encodeLoosely(values: readonly unknown[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const v of values) {
    try {
      parts.push(encode(v));
    } catch {
      // a value msgpack cannot carry (a huge bigint): leave it out
    }
  }
  return concat(parts);
}

function cases(): fc.Arbitrary<Case> {
  const streams = traceSeeds().outStreams;
  const traceRun = fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 40 })).map(([s, from, n]): Source => {
    const stream = streams[s % streams.length]!;
    const start = from % stream.length;
    const messages = stream.slice(start, start + n);
    return { bytes: concat(messages), messages };
  });
  const source = fc.oneof(
    { weight: 6, arbitrary: traceRun },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes): Source => ({ bytes, messages: null })) },
    { weight: 1, arbitrary: fc.array(hostileTree, { maxLength: 5 }).map((v): Source => ({ bytes: encodeLoosely(v), messages: null })) },
  );
  const options = fc.record(
    {
      maxMessageBytes: fc.oneof(fc.integer({ min: 1, max: 2048 }), fc.constantFrom(64 * 1024, DEFAULT_MAX)),
      maxMessageObjects: fc.integer({ min: 1, max: 400 }),
    },
    { requiredKeys: [] },
  );
  const chunks = fc.array(fc.oneof(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 4096 })), { minLength: 1, maxLength: 6 });
  return fc.record({ source, mutations: fc.array(byteMutation, { maxLength: 4 }), chunks, options });
}

function describeItems(items: readonly DecodedItem[]): string[] {
  return items.map((i) => (i.ok ? `${i.bytes}:${canon(i.value)}` : `error:${i.error.code}`));
}

const rawDecoder = new Decoder({ rawStrings: true, useBigInt64: false });

function property(c: Case): void {
  const bytes = c.mutations.length === 0 ? c.source.bytes : mutateBytes(c.source.bytes, c.mutations);
  const max = c.options.maxMessageBytes ?? DEFAULT_MAX;
  const whole = new TmateStreamDecoder(c.options).feed(bytes);

  const d = new TmateStreamDecoder(c.options);
  const state = internals(d);
  const pieces = chunk(bytes, c.chunks);
  const biggest = pieces.reduce((n, p) => Math.max(n, p.length), 0);
  const split: DecodedItem[] = [];
  for (const piece of pieces) {
    split.push(...d.feed(piece));
    check(state.buf.length <= 2 * (max + biggest) + 4096, () => `buffer of ${state.buf.length} bytes (cap ${max}, chunk ${biggest})`);
    if (state.poisoned) check(state.buf.length === 0, 'a poisoned decoder still holds its buffer');
    else if (state.start === state.end) check(state.buf.length <= Math.max(RETAINED, 2 * biggest + 4096), `idle buffer of ${state.buf.length} bytes`);
  }
  check(!state.poisoned || d.feed(new Uint8Array([0x90])).length === 0, 'a poisoned decoder emitted more items');

  const a = describeItems(whole);
  const b = describeItems(split);
  check(a.length === b.length && a.every((x, k) => x === b[k]), () => `chunking changed the items:\n${a.join('\n')}\n---\n${b.join('\n')}`);

  const firstError = split.findIndex((i) => !i.ok);
  check(firstError < 0 || firstError === split.length - 1, 'items after an error');
  for (const item of split) {
    if (!item.ok) {
      check(STREAM_CODES.has(item.error.code), `unexpected code ${item.error.code}`);
      continue;
    }
    check(item.bytes <= max, `item of ${item.bytes} bytes over the cap ${max}`);
    const parsed = parseOutMessage(item.value);
    if (!parsed.ok) check(PARSE_CODES.has(parsed.error.code), `unexpected code ${parsed.error.code}`);
  }

  const expected = c.source.messages;
  const fitsCaps = c.options.maxMessageBytes === undefined && c.options.maxMessageObjects === undefined;
  if (expected && c.mutations.length === 0 && fitsCaps) {
    check(split.length === expected.length, `${split.length} items for ${expected.length} trace messages`);
    split.forEach((item, k) => {
      check(item.ok, () => `trace message ${k} refused: ${item.ok ? '' : item.error.detail}`);
      check(canon(item.value) === canon(rawDecoder.decode(expected[k]!)), `trace message ${k} decoded differently`);
      check(parseOutMessage(item.value).ok, `trace message ${k} does not parse`);
    });
  }
}

export const streamDecoder: FuzzTarget = {
  name: 'stream-decoder',
  checks: 'feed never throws; items independent of chunking; one error max, last; caps respected; buffers bounded; traces decode exactly',
  quickRuns: 400,
  async run(params) {
    return checkSync(this.name, fc.property(cases(), property), params);
  },
};
