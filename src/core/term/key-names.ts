/**
 * Key names ↔ key codes with tmux 2.x key-string rules, as the host uses them in its replicated
 * bind-key / set-option prefix messages ("C-b", "M-Up", "PPage", "MouseDown1Pane", `"`…).
 *
 * Invariants:
 * - keyFromName never throws; it returns null wherever tmux would answer None/Unknown.
 * - Name lookup is case-insensitive; modifier prefixes are C-/M-/S- (any order, any case) or ^.
 * - C- of a letter, `@`..`_` or Space yields the raw control code (C-b = 2, C-Space = 0), except
 *   for tmux's "other" characters (digits and some punctuation), which keep the CTRL bit.
 * - keyFromName(keyToName(k)) === k for every key keyFromName can produce, except the hex forms
 *   of 0x7f and of UTF-16 surrogates (printed "Invalid#…", as in tmux).
 * - Deliberate differences from tmux 2.4: "Insert"/"Delete"/"FocusIn"/"FocusOut" are accepted
 *   (later tmux names), a UTF-8 key keeps its modifier prefix in keyToName, and "0x" hex names
 *   must be exactly 1–4 hex digits.
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
  KEYC_FOCUS_IN,
  KEYC_FOCUS_OUT,
  KEYC_HOME,
  KEYC_IC,
  KEYC_KP_SLASH,
  KEYC_LEFT,
  KEYC_MOUSE,
  KEYC_MOUSE_FIRST,
  KEYC_NONE,
  KEYC_NPAGE,
  KEYC_PPAGE,
  KEYC_RIGHT,
  KEYC_SHIFT,
  KEYC_UNKNOWN,
  KEYC_UP,
  baseKey,
  controlCode,
  hasModifier,
  isCodePoint,
  keyModifiers,
  withModifiers,
  withoutModifiers,
} from './key-codes.js';

type NameEntry = readonly [name: string, key: number];

const FUNCTION_KEYS: NameEntry[] = Array.from({ length: 12 }, (_, i) => [`F${i + 1}`, KEYC_F1 + i]);

const KEYPAD_NAMES = [
  'KP/', 'KP*', 'KP-', 'KP7', 'KP8', 'KP9', 'KP+', 'KP4',
  'KP5', 'KP6', 'KP1', 'KP2', 'KP3', 'KPEnter', 'KP0', 'KP.',
];
const KEYPAD_KEYS: NameEntry[] = KEYPAD_NAMES.map((name, i) => [name, KEYC_KP_SLASH + i]);

const MOUSE_EVENTS = [
  'MouseDown1', 'MouseDown2', 'MouseDown3', 'MouseUp1', 'MouseUp2', 'MouseUp3',
  'MouseDrag1', 'MouseDrag2', 'MouseDrag3', 'MouseDragEnd1', 'MouseDragEnd2', 'MouseDragEnd3',
  'WheelUp', 'WheelDown',
];
const MOUSE_WHERE = ['Pane', 'Status', 'Border'];
const MOUSE_KEYS: NameEntry[] = MOUSE_EVENTS.flatMap((event, i) =>
  MOUSE_WHERE.map((where, j): NameEntry => [event + where, KEYC_MOUSE_FIRST + i * MOUSE_WHERE.length + j]),
);

/** tmux's key_string_table order: the first name of a key is the one keyToName prints. */
const NAME_TABLE: readonly NameEntry[] = [
  ...FUNCTION_KEYS,
  ['IC', KEYC_IC],
  ['Insert', KEYC_IC],
  ['DC', KEYC_DC],
  ['Delete', KEYC_DC],
  ['Home', KEYC_HOME],
  ['End', KEYC_END],
  ['NPage', KEYC_NPAGE],
  ['PageDown', KEYC_NPAGE],
  ['PgDn', KEYC_NPAGE],
  ['PPage', KEYC_PPAGE],
  ['PageUp', KEYC_PPAGE],
  ['PgUp', KEYC_PPAGE],
  ['Tab', 0x09],
  ['BTab', KEYC_BTAB],
  ['Space', 0x20],
  ['BSpace', KEYC_BSPACE],
  ['Enter', 0x0d],
  ['Escape', 0x1b],
  ['Up', KEYC_UP],
  ['Down', KEYC_DOWN],
  ['Left', KEYC_LEFT],
  ['Right', KEYC_RIGHT],
  ...KEYPAD_KEYS,
  ...MOUSE_KEYS,
  ['FocusIn', KEYC_FOCUS_IN],
  ['FocusOut', KEYC_FOCUS_OUT],
];

const BY_NAME = new Map<string, number>(NAME_TABLE.map(([name, key]) => [name.toLowerCase(), key]));
const BY_KEY = new Map<number, string>();
for (const [name, key] of [...NAME_TABLE].reverse()) BY_KEY.set(key, name);

/** Characters for which C- keeps the CTRL bit instead of making a control code. */
const KEEP_CTRL = new Set(Array.from("!#()+,-.0123456789:;<=>?'\r\t", (c) => c.charCodeAt(0)));

const MODIFIER_LETTERS: ReadonlyMap<string, number> = new Map([
  ['c', KEYC_CTRL],
  ['m', KEYC_ESCAPE],
  ['s', KEYC_SHIFT],
]);

interface Split {
  mods: number;
  rest: string;
}

/** Strips "^" and "X-" prefixes. Like tmux, an unknown letter before "-" is skipped silently. */
function splitModifiers(name: string): Split {
  let mods = 0;
  let rest = name;
  if (rest.length >= 2 && rest[0] === '^') {
    mods = KEYC_CTRL;
    rest = rest.slice(1);
  }
  while (rest.length >= 2 && rest[1] === '-' && rest.charCodeAt(0) < 0x80) {
    const bit = MODIFIER_LETTERS.get(rest[0]!.toLowerCase());
    if (bit !== undefined) mods = withModifiers(mods, bit);
    rest = rest.slice(2);
  }
  return { mods, rest };
}

/** The unmodified key a name (without prefixes) stands for, or null. */
function lookupBase(rest: string): number | null {
  const first = rest.codePointAt(0);
  if (first === undefined) return null;
  if (rest.length === 1 && first < 0x80) return first < 0x20 || first === 0x7f ? null : first;
  if (first >= 0x80) {
    return String.fromCodePoint(first).length === rest.length && isCodePoint(first) ? first : null;
  }
  return BY_NAME.get(rest.toLowerCase()) ?? null;
}

/** Applies tmux's Ctrl conversion to a character key; null where tmux has none. */
function applyCtrl(key: number, mods: number): number | null {
  if (!hasModifier(mods, KEYC_CTRL) || key >= KEYC_BASE || KEEP_CTRL.has(key)) {
    return withModifiers(key, mods);
  }
  const code = controlCode(key);
  return code === null ? null : withModifiers(code, withoutModifiers(mods, KEYC_CTRL));
}

/** A key-code map from `[key name, value]` pairs (key tables written by name); unknown names are left out. */
export function keyMap<V>(bindings: readonly (readonly [string, V])[]): ReadonlyMap<number, V> {
  const map = new Map<number, V>();
  for (const [name, value] of bindings) {
    const key = keyFromName(name);
    if (key !== null) map.set(key, value);
  }
  return map;
}

/** tmux key name → key code, or null for None / unknown names. */
export function keyFromName(name: string): number | null {
  if (name.toLowerCase() === 'none') return null;
  if (name.startsWith('0x')) {
    return /^0x[0-9a-fA-F]{1,4}$/.test(name) ? Number.parseInt(name.slice(2), 16) : null;
  }
  const { mods, rest } = splitModifiers(name);
  const key = lookupBase(rest);
  if (key === null) return null;
  if (key >= 0x80 && key < KEYC_BASE) return withModifiers(key, mods); // UTF-8: no Ctrl conversion
  return applyCtrl(key, mods);
}

function modifierPrefix(key: number): string {
  return (
    (hasModifier(key, KEYC_CTRL) ? 'C-' : '') +
    (hasModifier(key, KEYC_ESCAPE) ? 'M-' : '') +
    (hasModifier(key, KEYC_SHIFT) ? 'S-' : '')
  );
}

/** Name of a key without modifiers that is not in the name table, or null if invalid. */
function plainName(base: number): string | null {
  if (base > 0x7f && base < KEYC_BASE) return isCodePoint(base) ? String.fromCodePoint(base) : null;
  if (base === 0x7f || base > 0xff) return null;
  if (base >= 1 && base <= 26) return `C-${String.fromCharCode(0x60 + base)}`;
  if (base < 0x20) return `C-${String.fromCharCode(0x40 + base)}`;
  return String.fromCharCode(base);
}

/** Key code → tmux key name ("C-b", "M-Up", "S-F3", "é", "Invalid#…" for codes with no name). */
export function keyToName(key: number): string {
  if (!Number.isSafeInteger(key) || key < 0) return 'Invalid';
  if (key === KEYC_NONE) return 'None';
  if (key === KEYC_UNKNOWN) return 'Unknown';
  if (key === KEYC_MOUSE) return 'Mouse';
  const k = baseKey(key) === 0 ? withModifiers(0x20, withModifiers(keyModifiers(key), KEYC_CTRL)) : key;
  const base = baseKey(k);
  const named = BY_KEY.get(base) ?? plainName(base);
  return named === null ? `Invalid#${base.toString(16)}` : modifierPrefix(k) + named;
}
