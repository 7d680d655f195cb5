/**
 * Hostile input never throws: random bytes, mutated/truncated real messages and random value
 * trees all come back as values (items, ok results or error codes). Seeded, a few thousand cases.
 */
import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../../src/core/errors.js';
import { encodeInMessage, parseInMessage } from '../../../src/core/protocol/tmate/in-messages.js';
import type { InMessage } from '../../../src/core/protocol/tmate/messages.js';
import { parseOutMessage } from '../../../src/core/protocol/tmate/out-messages.js';
import { TmateStreamDecoder, type DecodedItem } from '../../../src/core/protocol/tmate/stream-decoder.js';
import { loadTrace, prng, randInt, randomBytes, randomSplit } from './helpers.js';

const STREAM_CODES: readonly ErrorCode[] = ['PROTOCOL_BAD_MSGPACK', 'PROTOCOL_TOO_LARGE'];
const PARSE_CODES: readonly ErrorCode[] = ['PROTOCOL_NOT_ARRAY', 'PROTOCOL_BAD_FIELD'];

/** Feeds chunks; checks that nothing follows an error, and parses every value both ways. */
function feedAndParse(chunks: readonly Uint8Array[], maxMessageBytes?: number): DecodedItem[] {
  const d = new TmateStreamDecoder({ maxMessageBytes });
  const items = chunks.flatMap((c) => d.feed(c));
  const firstError = items.findIndex((i) => !i.ok);
  // Plain checks in this hot loop (expect() per item would dominate the run time).
  if (firstError >= 0 && firstError !== items.length - 1) throw new Error('items after an error');
  for (const item of items) {
    if (!item.ok) {
      if (!STREAM_CODES.includes(item.error.code)) throw new Error(`unexpected ${item.error.code}`);
      continue;
    }
    for (const r of [parseOutMessage(item.value), parseInMessage(item.value)]) {
      if (!r.ok && !PARSE_CODES.includes(r.error.code)) throw new Error(`unexpected ${r.error.code}`);
    }
  }
  return items;
}

const realMessages: Uint8Array[] = ['05-copy-mode.jsonl', '06-reconnect.jsonl', '03-new-window.jsonl', '20-key-encoding.jsonl']
  .flatMap((f) => loadTrace(f))
  .map((l) => encode(l.msg));

function mutate(rnd: () => number, src: Uint8Array): Uint8Array {
  const b = Uint8Array.from(src);
  switch (randInt(rnd, 0, 3)) {
    case 0: // flip some bytes
      for (let k = randInt(rnd, 1, 4); k > 0; k--) b[randInt(rnd, 0, b.length - 1)] = randInt(rnd, 0, 255);
      return b;
    case 1: // truncate
      return b.subarray(0, randInt(rnd, 0, b.length - 1));
    case 2: // insert a random byte
      return Uint8Array.from([...b.subarray(0, 1), randInt(rnd, 0, 255), ...b.subarray(1)]);
    default: // set a byte to a big length header
      b[randInt(rnd, 0, b.length - 1)] = [0xdb, 0xdd, 0xdf, 0xc6, 0xc9, 0xcf, 0xd3, 0xcb][randInt(rnd, 0, 7)]!;
      return b;
  }
}

/** A random JSON-ish tree of the kinds a decoder can produce (and a few it cannot). */
function randomValue(rnd: () => number, depth: number): unknown {
  const pick = randInt(rnd, 0, depth > 3 ? 7 : 9);
  switch (pick) {
    case 0: return randInt(rnd, -5, 200);
    case 1: return [1.5, NaN, -0, 2 ** 53, -(2 ** 63), Infinity][randInt(rnd, 0, 5)];
    case 2: return randomBytes(rnd, randInt(rnd, 0, 8));
    case 3: return 'str';
    case 4: return null;
    case 5: return rnd() < 0.5;
    case 6: return 10n;
    case 7: return {};
    default: return Array.from({ length: randInt(rnd, 0, 7) }, () => randomValue(rnd, depth + 1));
  }
}

describe('garbage never throws', () => {
  it('random byte streams in random chunks', () => {
    const rnd = prng(7);
    for (let n = 0; n < 2000; n++) {
      const bytes = randomBytes(rnd, randInt(rnd, 0, 400));
      feedAndParse(randomSplit(bytes, rnd, 64), rnd() < 0.3 ? randInt(rnd, 1, 64) : undefined);
    }
  });

  it('mutated and truncated real messages', () => {
    const rnd = prng(11);
    let errors = 0;
    for (let n = 0; n < 3000; n++) {
      const src = realMessages[randInt(rnd, 0, realMessages.length - 1)]!;
      const items = feedAndParse(randomSplit(mutate(rnd, src), rnd, 32), 1 << 16);
      errors += items.filter((i) => !i.ok).length;
    }
    expect(errors).toBeGreaterThan(0); // the mutations do reach the error paths
  });

  it('random value trees with every known type id', () => {
    const rnd = prng(13);
    const seen = new Set<string>();
    for (let n = 0; n < 4000; n++) {
      const body = Array.from({ length: randInt(rnd, 0, 7) }, () => randomValue(rnd, 1));
      const value = rnd() < 0.05 ? randomValue(rnd, 0) : [randInt(rnd, -1, 15), ...body];
      for (const r of [parseOutMessage(value), parseInMessage(value)]) {
        seen.add(r.ok ? 'ok' : r.error.code);
        if (!r.ok) expect(r.error.detail.length).toBeLessThan(300);
      }
    }
    expect([...seen].sort()).toEqual(['PROTOCOL_BAD_FIELD', 'PROTOCOL_NOT_ARRAY', 'ok']);
  });

  it('random IN messages are either refused or encode to something the host parses back', () => {
    const rnd = prng(17);
    const types: InMessage['type'][] = ['notify', 'legacy-pane-key', 'resize', 'exec-cmd-str', 'set-env', 'ready', 'pane-key', 'exec-cmd'];
    const fields = ['message', 'key', 'cols', 'rows', 'clientId', 'command', 'name', 'value', 'paneId', 'argv'];
    for (let n = 0; n < 3000; n++) {
      const m: Record<string, unknown> = { type: types[randInt(rnd, 0, types.length - 1)] };
      for (const f of fields) if (rnd() < 0.8) m[f] = rnd() < 0.3 ? ['a', 'b'] : randomValue(rnd, 3);
      const r = encodeInMessage(m as unknown as InMessage);
      if (!r.ok) {
        expect(r.error.code).toBe('PROTOCOL_BAD_OUTGOING');
        continue;
      }
      const items = new TmateStreamDecoder().feed(r.value);
      expect(items).toHaveLength(1);
      const back = items[0]!.ok ? parseInMessage(items[0]!.value) : null;
      expect(back?.ok && back.value.type).toBe(m.type);
    }
  });
});
