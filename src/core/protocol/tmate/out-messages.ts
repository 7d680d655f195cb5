/**
 * OUT messages (host → relay): parse a decoded msgpack value into an `OutMessage`, and encode an
 * `OutMessage` with exactly the wire layout of the tmate 2.4.0 client (PROTOCOL.md §3.1).
 *
 * Invariants:
 * - `parseOutMessage` never throws. A top level that is not `[int, …]` gives PROTOCOL_NOT_ARRAY;
 *   a missing or mistyped field gives PROTOCOL_BAD_FIELD whose detail names message and field;
 *   an unknown type id gives `{ type: 'unknown', id }`; extra trailing elements are ignored.
 * - Strings arrive as `Uint8Array` (rawStrings); str and bin are both accepted. Text fields are
 *   decoded as lossy UTF-8; PTY_DATA bytes and SNAPSHOT line text stay bytes.
 * - Geometry (sizes, offsets) must be non-negative integers; other ints are any safe integer.
 *   Work is linear in the message size (no caps beyond that: geometry policy is the relay's job).
 * - `encodeOutMessage` writes ints in their smallest form and all strings as msgpack str, so a
 *   message parsed from a real client re-encodes to the same bytes. It throws a `WireError`
 *   (RangeError) on a non-safe-integer: that is a programming error in our own host engine.
 */
import { fail, ok, type Result } from '../../errors.js';
import type {
  CopyModeState,
  CopyPrompt,
  CopySelection,
  LayoutPane,
  LayoutWindow,
  OutMessage,
  SnapshotGrid,
  SnapshotLine,
  SnapshotPane,
} from './messages.js';
import { OutType } from './messages.js';
import { Fields, MsgpackWriter, WireError, mapEach, messageTypeOf } from './wire.js';

type OutParser = (f: Fields) => OutMessage;

// ---------------------------------------------------------------------------------------------
// Parsing

function parseLayoutPane(f: Fields): LayoutPane {
  return { id: f.int('id'), cols: f.uint('sx'), rows: f.uint('sy'), xoff: f.uint('xoff'), yoff: f.uint('yoff') };
}

function parseLayoutWindow(f: Fields): LayoutWindow {
  const index = f.int('index');
  const name = f.text('name');
  const panes = mapEach(f, f.array('panes'), 'panes', 5, parseLayoutPane);
  return { index, name, panes, activePaneId: f.int('activePaneId') };
}

function parseSyncLayout(f: Fields): OutMessage {
  const cols = f.uint('sx');
  const rows = f.uint('sy');
  const windows = mapEach(f, f.array('windows'), 'windows', 4, parseLayoutWindow);
  return { type: 'sync-layout', cols, rows, windows, activeWindowIndex: f.int('activeWindowIndex') };
}

function parseCopyModeState(f: Fields): CopyModeState | null {
  const g = f.subOrEmpty('state', 6);
  if (!g) return null;
  const backing = g.int('backing');
  const oy = g.int('oy');
  const cx = g.int('cx');
  const cy = g.int('cy');
  const sel = g.subOrEmpty('sel', 3);
  const input = g.subOrEmpty('input', 3);
  return { backing, oy, cx, cy, selection: sel && readSelection(sel), prompt: input && readPrompt(input) };
}

function readSelection(f: Fields): CopySelection {
  return { x: f.int('x'), lineFromBottom: f.int('lineFromBottom'), rect: f.flag('rect') };
}

function readPrompt(f: Fields): CopyPrompt {
  return { type: f.int('type'), prompt: f.text('prompt'), text: f.text('text') };
}

function parseSnapshotLine(f: Fields): SnapshotLine {
  const text = f.bytes('text');
  const cellsArr = f.array('cells');
  const cells = new Fields(`${f.where}.cells`, cellsArr);
  const out: number[] = new Array<number>(cellsArr.length);
  for (let k = 0; k < cellsArr.length; k++) out[k] = cells.int(String(k));
  return { text, cells: out };
}

function parseSnapshotGrid(f: Fields): SnapshotGrid {
  const cx = f.int('cx');
  const cy = f.int('cy');
  return { cx, cy, lines: mapEach(f, f.array('lines'), 'lines', 2, parseSnapshotLine) };
}

function parseSnapshotPane(f: Fields): SnapshotPane {
  const id = f.int('id');
  const mode = f.int('mode');
  const grid = parseSnapshotGrid(f.sub('grid', 3));
  if (f.peekNil()) return { id, mode, grid, saved: null };
  return { id, mode, grid, saved: parseSnapshotGrid(f.sub('saved', 3)) };
}

function parseArgv(f: Fields): string[] {
  const argv: string[] = [];
  for (let k = 0; f.remaining > 0; k++) argv.push(f.text(`argv[${k}]`));
  return argv;
}

/** Parsers indexed by OUT type id; the array index is the id. */
const OUT_PARSERS: readonly OutParser[] = [
  // 0 HEADER: very old clients sent no version string; let the relay answer with a version error.
  (f) => ({ type: 'header', protocol: f.int('protocol'), clientVersion: f.remaining > 0 ? f.text('clientVersion') : '' }),
  parseSyncLayout,
  (f) => ({ type: 'pty-data', paneId: f.int('paneId'), data: f.bytes('data') }),
  (f) => ({ type: 'exec-cmd-str', command: f.text('command') }),
  (f) => ({ type: 'failed-cmd', clientId: f.int('clientId'), cause: f.text('cause') }),
  (f) => ({ type: 'status', left: f.text('left'), right: f.text('right') }),
  (f) => ({ type: 'sync-copy-mode', paneId: f.int('paneId'), state: parseCopyModeState(f) }),
  (f) => ({ type: 'write-copy-mode', paneId: f.int('paneId'), line: f.text('line') }),
  () => ({ type: 'fin' }),
  () => ({ type: 'ready' }),
  (f) => ({ type: 'reconnect', data: f.text('data') }),
  (f) => ({ type: 'snapshot', panes: mapEach(f, f.array('panes'), 'panes', 4, parseSnapshotPane) }),
  (f) => ({ type: 'exec-cmd', argv: parseArgv(f) }),
  (f) => ({
    type: 'uname',
    sysname: f.text('sysname'),
    nodename: f.text('nodename'),
    release: f.text('release'),
    version: f.text('version'),
    machine: f.text('machine'),
  }),
];

const OUT_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(OutType).map(([k, v]) => [v, k]));

/** Parses one decoded top-level value sent by a host. Never throws. */
export function parseOutMessage(value: unknown): Result<OutMessage> {
  const head = messageTypeOf(value);
  if (!head) return fail('PROTOCOL_NOT_ARRAY');
  const parser = head.id >= 0 && head.id < OUT_PARSERS.length ? OUT_PARSERS[head.id] : undefined;
  if (!parser) return ok({ type: 'unknown', id: head.id });
  const name = OUT_NAMES.get(head.id) ?? `OUT#${head.id}`;
  try {
    return ok(parser(new Fields(name, head.items, 1)));
  } catch (e) {
    return fail('PROTOCOL_BAD_FIELD', e instanceof WireError ? e.message : `${name}: ${String(e)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Encoding

function writeLayoutWindow(w: MsgpackWriter, win: LayoutWindow): void {
  w.array(4, 'window').int(win.index, 'window.index').text(win.name, 'window.name');
  w.array(win.panes.length, 'window.panes');
  for (const p of win.panes) {
    w.array(5, 'pane').int(p.id, 'pane.id').int(p.cols, 'pane.sx').int(p.rows, 'pane.sy');
    w.int(p.xoff, 'pane.xoff').int(p.yoff, 'pane.yoff');
  }
  w.int(win.activePaneId, 'window.activePaneId');
}

function writeCopyModeState(w: MsgpackWriter, s: CopyModeState | null): void {
  if (!s) return void w.array(0, 'state');
  w.array(6, 'state').int(s.backing, 'backing').int(s.oy, 'oy').int(s.cx, 'cx').int(s.cy, 'cy');
  const sel = s.selection;
  if (sel) w.array(3, 'sel').int(sel.x, 'sel.x').int(sel.lineFromBottom, 'sel.line').int(sel.rect ? 1 : 0, 'sel.rect');
  else w.array(0, 'sel');
  const p = s.prompt;
  if (p) w.array(3, 'input').int(p.type, 'input.type').text(p.prompt, 'input.prompt').text(p.text, 'input.text');
  else w.array(0, 'input');
}

function writeSnapshotGrid(w: MsgpackWriter, g: SnapshotGrid): void {
  w.array(3, 'grid').int(g.cx, 'grid.cx').int(g.cy, 'grid.cy').array(g.lines.length, 'grid.lines');
  for (const line of g.lines) {
    w.array(2, 'line').str(line.text, 'line.text').array(line.cells.length, 'line.cells');
    for (const cell of line.cells) w.int(cell, 'line.cell');
  }
}

function writeSnapshotPane(w: MsgpackWriter, p: SnapshotPane): void {
  w.array(4, 'pane').int(p.id, 'pane.id').int(p.mode, 'pane.mode');
  writeSnapshotGrid(w, p.grid);
  if (p.saved) writeSnapshotGrid(w, p.saved);
  else w.nil();
}

/** Writes the elements after the type id. */
function writeOutBody(w: MsgpackWriter, m: OutMessage): void {
  switch (m.type) {
    case 'header': return void w.int(m.protocol, 'protocol').text(m.clientVersion, 'clientVersion');
    case 'sync-layout':
      w.int(m.cols, 'sx').int(m.rows, 'sy').array(m.windows.length, 'windows');
      for (const win of m.windows) writeLayoutWindow(w, win);
      return void w.int(m.activeWindowIndex, 'activeWindowIndex');
    case 'pty-data': return void w.int(m.paneId, 'paneId').str(m.data, 'data');
    case 'exec-cmd-str': return void w.text(m.command, 'command');
    case 'failed-cmd': return void w.int(m.clientId, 'clientId').text(m.cause, 'cause');
    case 'status': return void w.text(m.left, 'left').text(m.right, 'right');
    case 'sync-copy-mode': return void writeCopyModeState(w.int(m.paneId, 'paneId'), m.state);
    case 'write-copy-mode': return void w.int(m.paneId, 'paneId').text(m.line, 'line');
    case 'reconnect': return void w.text(m.data, 'data');
    case 'snapshot':
      w.array(m.panes.length, 'panes');
      for (const p of m.panes) writeSnapshotPane(w, p);
      return;
    case 'exec-cmd': for (const a of m.argv) w.text(a, 'argv'); return;
    case 'uname':
      w.text(m.sysname, 'sysname').text(m.nodename, 'nodename').text(m.release, 'release');
      return void w.text(m.version, 'version').text(m.machine, 'machine');
    case 'fin': case 'ready': case 'unknown': return;
  }
}

const OUT_IDS: Readonly<Record<Exclude<OutMessage['type'], 'unknown'>, number>> = {
  header: OutType.HEADER,
  'sync-layout': OutType.SYNC_LAYOUT,
  'pty-data': OutType.PTY_DATA,
  'exec-cmd-str': OutType.EXEC_CMD_STR,
  'failed-cmd': OutType.FAILED_CMD,
  status: OutType.STATUS,
  'sync-copy-mode': OutType.SYNC_COPY_MODE,
  'write-copy-mode': OutType.WRITE_COPY_MODE,
  fin: OutType.FIN,
  ready: OutType.READY,
  reconnect: OutType.RECONNECT,
  snapshot: OutType.SNAPSHOT,
  'exec-cmd': OutType.EXEC_CMD,
  uname: OutType.UNAME,
};

/** Number of top-level elements after the type id. */
function outBodyLength(m: OutMessage): number {
  switch (m.type) {
    case 'fin': case 'ready': case 'unknown': return 0;
    case 'exec-cmd-str': case 'reconnect': case 'snapshot': return 1;
    case 'sync-layout': return 4;
    case 'uname': return 5;
    case 'exec-cmd': return m.argv.length;
    default: return 2;
  }
}

/**
 * Encodes one OUT message as the tmate client does. An 'unknown' message encodes as `[id]`.
 * @throws WireError (a RangeError) if a field is not a safe integer / string / bytes as typed.
 */
export function encodeOutMessage(msg: OutMessage): Uint8Array {
  const w = new MsgpackWriter();
  const id = msg.type === 'unknown' ? msg.id : OUT_IDS[msg.type];
  if (id === undefined) throw new WireError('OUT', `unknown message type ${String(msg.type)}`);
  w.array(1 + outBodyLength(msg), 'message').int(id, 'type');
  writeOutBody(w, msg);
  return w.finish();
}
