/**
 * Fuzz target `codec-in`: relay → host messages (encodeInMessage / parseInMessage).
 *
 * Inputs: well-formed IN messages (random fields, edge integers, lone surrogates, the IN messages
 * of the recorded traces), the same messages with one field replaced by a hostile value, deleted,
 * or the type name changed, non-objects; and for the parser, IN trace messages mutated at the
 * value level and random value trees.
 *
 * Property: encodeInMessage never throws; it accepts exactly the messages whose fields have the
 * declared types (safe integers, JS strings, non-empty argv of strings) and refuses the rest with
 * PROTOCOL_BAD_OUTGOING; accepted bytes are one msgpack array in the subset tmate 2.4 reads
 * (ints in their smallest form, str, arrays — never a float, map, bin, ext or nil), which decodes
 * and parses back to the same message. parseInMessage never throws and refuses with
 * PROTOCOL_NOT_ARRAY / PROTOCOL_BAD_FIELD only.
 */
import fc from 'fast-check';
import type { ErrorCode } from '../../../src/core/errors.js';
import { encodeInMessage, parseInMessage } from '../../../src/core/protocol/tmate/in-messages.js';
import { InType, type InMessage } from '../../../src/core/protocol/tmate/messages.js';
import { TmateStreamDecoder } from '../../../src/core/protocol/tmate/stream-decoder.js';
import { check, checkSync, type FuzzTarget } from '../fuzz-target.js';
import { asDecoded, canon, hostileScalar, hostileTree, mutateValue, traceSeeds, valueMutation } from '../seeds.js';

const PARSE_CODES: ReadonlySet<ErrorCode> = new Set(['PROTOCOL_NOT_ARRAY', 'PROTOCOL_BAD_FIELD']);

const anInt = fc.oneof(
  fc.integer({ min: -2, max: 300 }),
  fc.maxSafeInteger(),
  fc.constantFrom(-0, -(2 ** 53 - 1), 2 ** 53 - 1, 2 ** 44 + 65, 2 ** 31, -(2 ** 31) - 1, 2 ** 32, -33, -129, -32_769),
);
const aString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('', '\ud800', 'a\udc00b', 'x'.repeat(31), 'y'.repeat(32), 'z'.repeat(256), '\u0000', 'é中😀'),
);

const wellFormed: fc.Arbitrary<InMessage> = fc.oneof(
  fc.record({ type: fc.constant('notify' as const), message: aString }),
  fc.record({ type: fc.constant('legacy-pane-key' as const), key: anInt }),
  fc.record({ type: fc.constant('resize' as const), cols: anInt, rows: anInt }),
  fc.record({ type: fc.constant('exec-cmd-str' as const), clientId: anInt, command: aString }),
  fc.record({ type: fc.constant('set-env' as const), name: aString, value: aString }),
  fc.constant<InMessage>({ type: 'ready' }),
  fc.record({ type: fc.constant('pane-key' as const), paneId: anInt, key: anInt }),
  fc.record({ type: fc.constant('exec-cmd' as const), clientId: anInt, argv: fc.array(aString, { minLength: 1, maxLength: 20 }) }),
);

function traceInMessages(): InMessage[] {
  const out: InMessage[] = [];
  for (const m of traceSeeds().in) {
    const parsed = parseInMessage(asDecoded(m));
    if (parsed.ok && parsed.value.type !== 'unknown') out.push(parsed.value);
  }
  return out;
}

type FieldEdit = { field: number; to: unknown } | { field: number; remove: true } | { renameType: string };

const fieldEdit: fc.Arbitrary<FieldEdit> = fc.oneof(
  fc.record({ field: fc.nat(), to: fc.oneof(hostileScalar, hostileTree, fc.constant([])) }),
  fc.record({ field: fc.nat(), remove: fc.constant(true as const) }),
  fc.record({ renameType: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('NOTIFY', 'pane_key', 'unknown', '__proto__')) }),
);

function edit(message: InMessage, e: FieldEdit): unknown {
  const copy: Record<string, unknown> = { ...message };
  if ('renameType' in e) {
    copy['type'] = e.renameType;
    return copy;
  }
  const fields = Object.keys(copy).filter((k) => k !== 'type');
  if (fields.length === 0) return copy;
  const name = fields[e.field % fields.length]!;
  if ('remove' in e) delete copy[name];
  else copy[name] = e.to;
  return copy;
}

const isInt = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v);
const isStr = (v: unknown): boolean => typeof v === 'string';

/** The oracle: may this value be sent to a tmate host? (the declared field types, nothing else) */
function encodable(m: unknown): boolean {
  if (typeof m !== 'object' || m === null) return false;
  const o = m as Record<string, unknown>;
  switch (o['type']) {
    case 'notify': return isStr(o['message']);
    case 'legacy-pane-key': return isInt(o['key']);
    case 'resize': return isInt(o['cols']) && isInt(o['rows']);
    case 'exec-cmd-str': return isInt(o['clientId']) && isStr(o['command']);
    case 'set-env': return isStr(o['name']) && isStr(o['value']);
    case 'ready': return true;
    case 'pane-key': return isInt(o['paneId']) && isInt(o['key']);
    case 'exec-cmd': {
      const argv = o['argv'];
      return isInt(o['clientId']) && Array.isArray(argv) && argv.length > 0 && argv.every(isStr);
    }
    default: return false;
  }
}

const utf8 = new TextEncoder();
const lossy = new TextDecoder();
const FIELDS: Readonly<Record<InMessage['type'], readonly string[]>> = {
  notify: ['message'],
  'legacy-pane-key': ['key'],
  resize: ['cols', 'rows'],
  'exec-cmd-str': ['clientId', 'command'],
  'set-env': ['name', 'value'],
  ready: [],
  'pane-key': ['paneId', 'key'],
  'exec-cmd': ['clientId', 'argv'],
};

/** What the host will read back: declared fields only, text as UTF-8 (lone surrogates → U+FFFD), -0 → 0. */
function expected(m: InMessage): unknown {
  const norm = (v: unknown): unknown =>
    typeof v === 'string' ? lossy.decode(utf8.encode(v)) : Array.isArray(v) ? v.map(norm) : v === 0 ? 0 : v;
  const src = m as unknown as Record<string, unknown>;
  return Object.fromEntries([['type', m.type], ...FIELDS[m.type].map((f) => [f, norm(src[f])])]);
}

/**
 * Walks msgpack bytes accepting only what tmate 2.4's reader takes (and only in the smallest form
 * msgpack-c would write): exactly one top-level array whose first element is an int.
 */
function assertTmateWire(b: Uint8Array): void {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let pos = 0;
  let owed = 1;
  const need = (n: number): void => check(pos + n <= b.length, `truncated at ${pos}`);
  check(b[0] !== undefined && ((b[0] >= 0x90 && b[0] <= 0x9f) || b[0] === 0xdc || b[0] === 0xdd), 'top level is not an array');
  const first = b[1];
  check(first !== undefined && (first <= 0x7f || first === 0xcc), 'first element is not the type id');
  while (owed > 0) {
    need(1);
    const h = b[pos]!;
    owed--;
    if (h <= 0x7f || h >= 0xe0) {
      pos += 1;
    } else if (h >= 0x90 && h <= 0x9f) {
      owed += h & 0x0f;
      pos += 1;
    } else if (h >= 0xa0 && h <= 0xbf) {
      pos += 1 + (h & 0x1f);
    } else {
      need(2);
      switch (h) {
        case 0xcc: check(b[pos + 1]! >= 0x80, 'uint8 not minimal'); pos += 2; break;
        case 0xcd: need(3); check(view.getUint16(pos + 1) >= 0x100, 'uint16 not minimal'); pos += 3; break;
        case 0xce: need(5); check(view.getUint32(pos + 1) >= 0x10000, 'uint32 not minimal'); pos += 5; break;
        case 0xcf: need(9); check(view.getUint32(pos + 1) > 0, 'uint64 not minimal'); pos += 9; break;
        case 0xd0: check(view.getInt8(pos + 1) < -32, 'int8 not minimal'); pos += 2; break;
        case 0xd1: need(3); check(view.getInt16(pos + 1) < -128, 'int16 not minimal'); pos += 3; break;
        case 0xd2: need(5); check(view.getInt32(pos + 1) < -32_768, 'int32 not minimal'); pos += 5; break;
        case 0xd3: need(9); check(view.getBigInt64(pos + 1) < -(2n ** 31n), 'int64 not minimal'); pos += 9; break;
        case 0xd9: check(b[pos + 1]! >= 32, 'str8 not minimal'); pos += 2 + b[pos + 1]!; break;
        case 0xda: need(3); check(view.getUint16(pos + 1) >= 0x100, 'str16 not minimal'); pos += 3 + view.getUint16(pos + 1); break;
        case 0xdb: need(5); check(view.getUint32(pos + 1) >= 0x10000, 'str32 not minimal'); pos += 5 + view.getUint32(pos + 1); break;
        case 0xdc: need(3); check(view.getUint16(pos + 1) >= 16, 'array16 not minimal'); owed += view.getUint16(pos + 1); pos += 3; break;
        case 0xdd: need(5); check(view.getUint32(pos + 1) >= 0x10000, 'array32 not minimal'); owed += view.getUint32(pos + 1); pos += 5; break;
        default: throw new Error(`msgpack type 0x${h.toString(16)} would kill the host`);
      }
    }
  }
  check(pos === b.length, `${b.length - pos} bytes after the message`);
}

type Case = { encode: unknown; wellFormedInput: boolean } | { parse: unknown };

function cases(): fc.Arbitrary<Case> {
  const seeds = traceInMessages();
  const good = fc.oneof({ weight: 3, arbitrary: wellFormed }, { weight: 1, arbitrary: fc.constantFrom(...seeds) });
  const decodedSeeds = traceSeeds().in.map(asDecoded);
  return fc.oneof(
    { weight: 3, arbitrary: good.map((m): Case => ({ encode: m, wellFormedInput: true })) },
    { weight: 3, arbitrary: fc.tuple(good, fieldEdit).map(([m, e]): Case => ({ encode: edit(m, e), wellFormedInput: false })) },
    { weight: 1, arbitrary: fc.oneof(hostileScalar, hostileTree).map((v): Case => ({ encode: v, wellFormedInput: false })) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...decodedSeeds), fc.array(valueMutation, { maxLength: 3 }))
        .map(([s, m]): Case => ({ parse: mutateValue(s, m) })),
    },
    { weight: 1, arbitrary: hostileTree.map((v): Case => ({ parse: v })) },
  );
}

function property(c: Case): void {
  if ('parse' in c) {
    const parsed = parseInMessage(c.parse);
    if (!parsed.ok) check(PARSE_CODES.has(parsed.error.code), `unexpected code ${parsed.error.code}`);
    return;
  }
  // Deliberately untyped: the encoder must also survive what the type system would not allow.
  const encoded = encodeInMessage(c.encode as InMessage);
  const shouldEncode = encodable(c.encode);
  check(!c.wellFormedInput || shouldEncode, 'oracle disagrees with the generator');
  if (!encoded.ok) {
    check(!shouldEncode, () => `refused a well-formed message: ${encoded.error.detail}`);
    check(encoded.error.code === 'PROTOCOL_BAD_OUTGOING', `unexpected code ${encoded.error.code}`);
    return;
  }
  check(shouldEncode, () => `encoded a malformed message: ${canon(c.encode)}`);
  assertTmateWire(encoded.value);
  const message = c.encode as InMessage;
  const items = new TmateStreamDecoder().feed(encoded.value);
  const item = items[0];
  check(items.length === 1 && item !== undefined && item.ok, 'encoded message does not decode as one object');
  check(item.value instanceof Array && item.value[0] === InType[typeNames[message.type]], 'wrong type id on the wire');
  const back = parseInMessage(item.value);
  check(back.ok && canon(back.value) === canon(expected(message)), () => `round trip changed ${message.type}`);
}

const typeNames: Readonly<Record<InMessage['type'], keyof typeof InType>> = {
  notify: 'NOTIFY',
  'legacy-pane-key': 'LEGACY_PANE_KEY',
  resize: 'RESIZE',
  'exec-cmd-str': 'EXEC_CMD_STR',
  'set-env': 'SET_ENV',
  ready: 'READY',
  'pane-key': 'PANE_KEY',
  'exec-cmd': 'EXEC_CMD',
};

export const codecIn: FuzzTarget = {
  name: 'codec-in',
  checks: 'encodeInMessage never throws, accepts exactly the well-typed messages, emits only what tmate reads; parseInMessage never throws',
  quickRuns: 600,
  async run(params) {
    return checkSync(this.name, fc.property(cases(), property), params);
  },
};
