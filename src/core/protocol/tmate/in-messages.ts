/**
 * IN messages (relay → host): encode an `InMessage` for the host's tmate, and parse a decoded
 * value back (for our own host engine and for tests). Layouts: PROTOCOL.md §3.2.
 *
 * Invariants:
 * - A malformed IN message kills the user's tmate (fatalx "Received a bad message"), so
 *   `encodeInMessage` validates before writing anything: every integer must be a safe integer
 *   (never a float/NaN/bigint), every string field a JS string, EXEC_CMD argv a non-empty array of
 *   strings. Any violation → PROTOCOL_BAD_OUTGOING and no bytes. It never throws.
 * - Strings go out as msgpack str (UTF-8). Ints in their smallest msgpack form.
 * - `parseInMessage` follows the same rules as `parseOutMessage`: never throws; not `[int, …]` →
 *   PROTOCOL_NOT_ARRAY; bad field → PROTOCOL_BAD_FIELD; unknown id → `{ type: 'unknown', id }`
 *   (tmate logs and skips those); extra trailing elements are ignored.
 */
import { fail, ok, type Result } from '../../errors.js';
import { InType, type InMessage } from './messages.js';
import { Fields, MsgpackWriter, WireError, messageTypeOf } from './wire.js';

/** What a host may receive: a known IN message or one with a type id it does not know. */
export type ParsedInMessage = InMessage | { type: 'unknown'; id: number };

// ---------------------------------------------------------------------------------------------
// Encoding

function writeArgv(w: MsgpackWriter, argv: unknown): void {
  if (!Array.isArray(argv) || argv.length === 0) {
    throw new WireError('EXEC_CMD.argv', 'expected a non-empty array of strings');
  }
  argv.forEach((a: unknown, k) => w.text(a, `EXEC_CMD.argv[${k}]`));
}

/** Writes the whole message; the array header is computed per type. */
function writeIn(w: MsgpackWriter, m: InMessage): void {
  switch (m.type) {
    case 'notify': return void w.array(2, 'NOTIFY').int(InType.NOTIFY, 'type').text(m.message, 'NOTIFY.message');
    case 'legacy-pane-key':
      return void w.array(2, 'LEGACY_PANE_KEY').int(InType.LEGACY_PANE_KEY, 'type').int(m.key, 'LEGACY_PANE_KEY.key');
    case 'resize':
      return void w.array(3, 'RESIZE').int(InType.RESIZE, 'type').int(m.cols, 'RESIZE.sx').int(m.rows, 'RESIZE.sy');
    case 'exec-cmd-str':
      w.array(3, 'EXEC_CMD_STR').int(InType.EXEC_CMD_STR, 'type');
      return void w.int(m.clientId, 'EXEC_CMD_STR.clientId').text(m.command, 'EXEC_CMD_STR.command');
    case 'set-env':
      w.array(3, 'SET_ENV').int(InType.SET_ENV, 'type');
      return void w.text(m.name, 'SET_ENV.name').text(m.value, 'SET_ENV.value');
    case 'ready': return void w.array(1, 'READY').int(InType.READY, 'type');
    case 'pane-key':
      w.array(3, 'PANE_KEY').int(InType.PANE_KEY, 'type');
      return void w.int(m.paneId, 'PANE_KEY.paneId').int(m.key, 'PANE_KEY.key');
    case 'exec-cmd': {
      const argc = Array.isArray(m.argv) ? m.argv.length : 0;
      w.array(2 + argc, 'EXEC_CMD').int(InType.EXEC_CMD, 'type').int(m.clientId, 'EXEC_CMD.clientId');
      return writeArgv(w, m.argv);
    }
    default: {
      const never: never = m;
      throw new WireError('IN', `unknown message type ${describeType(never)}`);
    }
  }
}

function describeType(m: unknown): string {
  const t: unknown = typeof m === 'object' && m !== null ? (m as { type?: unknown }).type : undefined;
  return typeof t === 'string' ? JSON.stringify(t.slice(0, 40)) : typeof t;
}

/**
 * Encodes one IN message for the host. Never throws; refuses (PROTOCOL_BAD_OUTGOING) anything
 * the host's tmate would treat as fatal.
 */
export function encodeInMessage(msg: InMessage): Result<Uint8Array> {
  try {
    if (typeof msg !== 'object' || msg === null) throw new WireError('IN', 'not a message object');
    const w = new MsgpackWriter();
    writeIn(w, msg);
    return ok(w.finish());
  } catch (e) {
    return fail('PROTOCOL_BAD_OUTGOING', e instanceof WireError ? e.message : `IN: ${String(e)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing

function parseInArgv(f: Fields): string[] {
  const argv: string[] = [];
  for (let k = 0; f.remaining > 0; k++) argv.push(f.text(`argv[${k}]`));
  return argv;
}

/** Parsers indexed by IN type id; the array index is the id. */
const IN_PARSERS: readonly ((f: Fields) => InMessage)[] = [
  (f) => ({ type: 'notify', message: f.text('message') }),
  (f) => ({ type: 'legacy-pane-key', key: f.int('key') }),
  (f) => ({ type: 'resize', cols: f.int('sx'), rows: f.int('sy') }),
  (f) => ({ type: 'exec-cmd-str', clientId: f.int('clientId'), command: f.text('command') }),
  (f) => ({ type: 'set-env', name: f.text('name'), value: f.text('value') }),
  () => ({ type: 'ready' }),
  (f) => ({ type: 'pane-key', paneId: f.int('paneId'), key: f.int('key') }),
  (f) => ({ type: 'exec-cmd', clientId: f.int('clientId'), argv: parseInArgv(f) }),
];

const IN_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(InType).map(([k, v]) => [v, k]));

/** Parses one decoded top-level value sent to a host. Never throws. */
export function parseInMessage(value: unknown): Result<ParsedInMessage> {
  const head = messageTypeOf(value);
  if (!head) return fail('PROTOCOL_NOT_ARRAY');
  const parser = head.id >= 0 && head.id < IN_PARSERS.length ? IN_PARSERS[head.id] : undefined;
  if (!parser) return ok({ type: 'unknown', id: head.id });
  const name = IN_NAMES.get(head.id) ?? `IN#${head.id}`;
  try {
    return ok(parser(new Fields(name, head.items, 1)));
  } catch (e) {
    return fail('PROTOCOL_BAD_FIELD', e instanceof WireError ? e.message : `${name}: ${String(e)}`);
  }
}
