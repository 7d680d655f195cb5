/**
 * Fuzz target `codec-out`: host → relay messages (parseOutMessage / encodeOutMessage).
 *
 * Inputs: every distinct OUT message of the recorded traces in decoded form (text as bytes), the
 * same messages mutated at the value level (a node replaced by a wrong type or a huge/float/
 * negative number, elements dropped, added, duplicated, wrapped, arrays truncated), and random
 * `[type, …]` arrays and value trees.
 *
 * Property: parseOutMessage never throws; a refusal is PROTOCOL_NOT_ARRAY or PROTOCOL_BAD_FIELD
 * with a short detail; a real trace message always parses; whatever parses re-encodes (without
 * throwing) to exactly one msgpack object that the stream decoder reads back and that parses to
 * the same message (so the relay's own host engine can never emit what the relay refuses).
 */
import fc from 'fast-check';
import type { ErrorCode } from '../../../src/core/errors.js';
import { OutType } from '../../../src/core/protocol/tmate/messages.js';
import { encodeOutMessage, parseOutMessage } from '../../../src/core/protocol/tmate/out-messages.js';
import { TmateStreamDecoder } from '../../../src/core/protocol/tmate/stream-decoder.js';
import { check, checkSync, type FuzzTarget } from '../fuzz-target.js';
import { canon, decodedOutSeeds, hostileTree, mutateValue, valueMutation } from '../seeds.js';

const PARSE_CODES: ReadonlySet<ErrorCode> = new Set(['PROTOCOL_NOT_ARRAY', 'PROTOCOL_BAD_FIELD']);
const KNOWN_IDS: ReadonlySet<number> = new Set(Object.values(OutType));
/** Error details name a message and field; they never dump content. */
const MAX_DETAIL = 300;

interface Case {
  value: unknown;
  /** An unmodified trace message: it must parse. */
  pristine: boolean;
}

function cases(): fc.Arbitrary<Case> {
  const seeds = decodedOutSeeds();
  const seed = fc.constantFrom(...seeds);
  return fc.oneof(
    { weight: 5, arbitrary: fc.tuple(seed, fc.array(valueMutation, { minLength: 1, maxLength: 4 })).map(([s, m]) => ({ value: mutateValue(s, m), pristine: false })) },
    { weight: 1, arbitrary: seed.map((value) => ({ value, pristine: true })) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.integer({ min: -2, max: 15 }), fc.array(hostileTree, { maxLength: 7 }))
        .map(([id, rest]) => ({ value: [id, ...rest], pristine: false })),
    },
    { weight: 1, arbitrary: hostileTree.map((value) => ({ value, pristine: false })) },
  );
}

function property(c: Case): void {
  const parsed = parseOutMessage(c.value);
  if (!parsed.ok) {
    check(!c.pristine, () => `a trace message was refused: ${parsed.error.detail}`);
    check(PARSE_CODES.has(parsed.error.code), `unexpected code ${parsed.error.code}`);
    check(parsed.error.detail.length <= MAX_DETAIL, `detail of ${parsed.error.detail.length} chars`);
    return;
  }
  const message = parsed.value;
  if (message.type === 'unknown') check(!KNOWN_IDS.has(message.id), `known id ${message.id} parsed as unknown`);
  const bytes = encodeOutMessage(message);
  const items = new TmateStreamDecoder().feed(bytes);
  const item = items[0];
  check(items.length === 1 && item !== undefined && item.ok, () => `re-encoded ${message.type} does not decode as one object`);
  check(item.bytes === bytes.length, 're-encoding has trailing bytes');
  const again = parseOutMessage(item.value);
  check(again.ok, () => `re-encoded ${message.type} is refused: ${again.ok ? '' : again.error.detail}`);
  check(canon(again.value) === canon(message), () => `round trip changed ${message.type}`);
}

export const codecOut: FuzzTarget = {
  name: 'codec-out',
  checks: 'parseOutMessage never throws; refusals are NOT_ARRAY/BAD_FIELD; parsed ⇒ encode ⇒ decode ⇒ parse is the identity',
  quickRuns: 600,
  async run(params) {
    return checkSync(this.name, fc.property(cases(), property), params);
  },
};
