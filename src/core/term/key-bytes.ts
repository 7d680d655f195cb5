/**
 * Key code → the bytes tmux 2.x (tmate 2.4.0, xterm-keys off) writes to a pane's pty for it,
 * for our own host engine. Checked against trace 20 (PROTOCOL.md §6.1).
 *
 * Invariants:
 * - Characters are written as UTF-8; META (KEYC_ESCAPE) prefixes one ESC to whatever the key
 *   without META writes. Keys with CTRL/SHIFT bits write only what the table below lists.
 * - Cursor keys follow the pane's cursor-key mode; Ctrl+arrow uses the *other* form (ESC O A in
 *   normal mode, ESC [ A in application mode). Keypad keys write their character unless the
 *   keypad is in application mode (then ESC O p … ESC O y). KPEnter's character is "\n", as in
 *   tmux 2.4's input-keys table; PROTOCOL.md says "\r", but trace 20 cannot tell the two apart
 *   (the pane's tty maps CR to NL).
 * - Returns null when tmux writes nothing: mouse and focus keys, S-Up and other unlisted
 *   modifier combinations, invalid code points, out-of-range numbers. Never throws.
 */
import {
  KEYC_BASE,
  KEYC_BSPACE,
  KEYC_BTAB,
  KEYC_CTRL,
  KEYC_DC,
  KEYC_DOWN,
  KEYC_END,
  KEYC_ESCAPE,
  KEYC_F1,
  KEYC_HOME,
  KEYC_IC,
  KEYC_KP_SLASH,
  KEYC_LEFT,
  KEYC_NPAGE,
  KEYC_PPAGE,
  KEYC_RIGHT,
  KEYC_SHIFT,
  KEYC_UP,
  hasModifier,
  isCodePoint,
  withModifiers,
  withoutModifiers,
} from './key-codes.js';

export interface KeyModes {
  /** DECCKM (ESC [ ? 1 h): cursor keys send ESC O x. */
  applicationCursor: boolean;
  /** DECKPAM (ESC =): keypad keys send ESC O x. */
  applicationKeypad: boolean;
}

interface Entry {
  /** Bytes in normal mode. */
  readonly normal: string;
  /** Bytes when the mode below is on, if they differ. */
  readonly app?: string;
  readonly mode?: keyof KeyModes;
}

const E = '\x1b';

const FUNCTION_KEYS = [
  'OP', 'OQ', 'OR', 'OS', '[15~', '[17~', '[18~', '[19~', '[20~', '[21~', '[23~', '[24~',
];
const SHIFT_FUNCTION_KEYS = ['[25~', '[26~', '[28~', '[29~', '[31~', '[32~', '[33~', '[34~']; // S-F1..S-F8
const EDIT_KEYS: ReadonlyArray<readonly [number, string]> = [
  [KEYC_IC, '[2~'], [KEYC_DC, '[3~'], [KEYC_HOME, '[1~'], [KEYC_END, '[4~'],
  [KEYC_NPAGE, '[6~'], [KEYC_PPAGE, '[5~'], [KEYC_BTAB, '[Z'],
];
const ARROWS: ReadonlyArray<readonly [number, string]> = [
  [KEYC_UP, 'A'], [KEYC_DOWN, 'B'], [KEYC_RIGHT, 'C'], [KEYC_LEFT, 'D'],
];
/** KEYC_KP_* order: / * - 7 8 9 + 4 5 6 1 2 3 Enter 0 . */
const KEYPAD_NORMAL = ['/', '*', '-', '7', '8', '9', '+', '4', '5', '6', '1', '2', '3', '\n', '0', '.'];
const KEYPAD_APP = 'ojmwxyktuvqrsMpn';

function buildTable(): Map<number, Entry> {
  const table = new Map<number, Entry>([[KEYC_BSPACE, { normal: '\x7f' }]]);
  FUNCTION_KEYS.forEach((seq, i) => table.set(KEYC_F1 + i, { normal: E + seq }));
  SHIFT_FUNCTION_KEYS.forEach((seq, i) => {
    table.set(withModifiers(KEYC_F1 + i, KEYC_SHIFT), { normal: E + seq });
  });
  for (const [k, seq] of EDIT_KEYS) table.set(k, { normal: E + seq });
  for (const [k, c] of ARROWS) {
    const csi = `${E}[${c}`;
    const ss3 = `${E}O${c}`;
    table.set(k, { normal: csi, app: ss3, mode: 'applicationCursor' });
    table.set(withModifiers(k, KEYC_CTRL), { normal: ss3, app: csi, mode: 'applicationCursor' });
  }
  KEYPAD_NORMAL.forEach((c, i) => {
    table.set(KEYC_KP_SLASH + i, { normal: c, app: `${E}O${KEYPAD_APP[i]!}`, mode: 'applicationKeypad' });
  });
  return table;
}

const TABLE: ReadonlyMap<number, Entry> = buildTable();

/** UTF-8 bytes of a valid code point. */
function utf8(cp: number): number[] {
  if (cp < 0x80) return [cp];
  if (cp < 0x800) return [0xc0 + (cp >> 6), 0x80 + (cp & 0x3f)];
  if (cp < 0x10000) return [0xe0 + (cp >> 12), 0x80 + ((cp >> 6) & 0x3f), 0x80 + (cp & 0x3f)];
  return [0xf0 + (cp >> 18), 0x80 + ((cp >> 12) & 0x3f), 0x80 + ((cp >> 6) & 0x3f), 0x80 + (cp & 0x3f)];
}

function asciiBytes(s: string): number[] {
  return Array.from(s, (c) => c.charCodeAt(0));
}

/**
 * The pane's key modes, or how to read them: only cursor and keypad keys need them, and reading
 * them may cost a parse of the pane's pending output (host-pane.ts), which a typed character
 * should not wait for.
 */
export type KeyModesSource = KeyModes | (() => KeyModes);

/** Bytes for a key without META, or null. */
function plainKeyBytes(key: number, modes: KeyModesSource): number[] | null {
  if (key < KEYC_BASE) return isCodePoint(key) ? utf8(key) : null;
  const entry = TABLE.get(key);
  if (entry === undefined) return null;
  const appMode = entry.mode !== undefined && (typeof modes === 'function' ? modes() : modes)[entry.mode];
  return asciiBytes(appMode && entry.app !== undefined ? entry.app : entry.normal);
}

/** What tmux writes to the pane for `key`, or null when it writes nothing. */
export function keyToBytes(key: number, modes: KeyModesSource): Uint8Array | null {
  if (!Number.isSafeInteger(key) || key < 0) return null;
  const meta = hasModifier(key, KEYC_ESCAPE);
  const bytes = plainKeyBytes(withoutModifiers(key, KEYC_ESCAPE), modes);
  if (bytes === null) return null;
  return Uint8Array.from(meta ? [0x1b, ...bytes] : bytes);
}
