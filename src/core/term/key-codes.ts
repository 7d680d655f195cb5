/**
 * tmux 2.x key codes, numbered exactly as tmate 2.4.0 puts them on the wire (PROTOCOL.md §6.1).
 *
 * Invariants:
 * - Plain characters are their Unicode code point; control keys are raw control codes
 *   (C-a = 1, C-Space = 0). There is no CTRL bit for ASCII control characters.
 * - Special keys are KEYC_BASE + n. Modifiers are the bits 2^45 (META), 2^46 (CTRL), 2^47 (SHIFT).
 * - Every value is an integer below 2^53, kept as a plain JS number. JS `|`/`&` truncate to
 *   32 bits, so all bit work on key codes goes through the arithmetic helpers below.
 */

export const KEYC_BASE = 2 ** 44; // 0x100000000000

/** Modifier bits. KEYC_ESCAPE is tmux's name for META (M-). */
export const KEYC_ESCAPE = 2 ** 45; // 0x200000000000
export const KEYC_META = KEYC_ESCAPE;
export const KEYC_CTRL = 2 ** 46; // 0x400000000000
export const KEYC_SHIFT = 2 ** 47; // 0x800000000000

/** tmux's "no key" and "unknown key" markers (they overlap the modifier bits on purpose). */
export const KEYC_NONE = 0xffff00000000;
export const KEYC_UNKNOWN = 0xfffe00000000;

export const KEYC_FOCUS_IN = KEYC_BASE + 0;
export const KEYC_FOCUS_OUT = KEYC_BASE + 1;
/** Unclassified mouse event: what the input parser returns for any mouse report. */
export const KEYC_MOUSE = KEYC_BASE + 2;
/** Named mouse keys (MouseDown1Pane … WheelDownBorder) occupy BASE+3 … BASE+44. */
export const KEYC_MOUSE_FIRST = KEYC_BASE + 3;
export const KEYC_MOUSE_LAST = KEYC_BASE + 44;

export const KEYC_BSPACE = KEYC_BASE + 45;
export const KEYC_F1 = KEYC_BASE + 46;
export const KEYC_F2 = KEYC_BASE + 47;
export const KEYC_F3 = KEYC_BASE + 48;
export const KEYC_F4 = KEYC_BASE + 49;
export const KEYC_F5 = KEYC_BASE + 50;
export const KEYC_F6 = KEYC_BASE + 51;
export const KEYC_F7 = KEYC_BASE + 52;
export const KEYC_F8 = KEYC_BASE + 53;
export const KEYC_F9 = KEYC_BASE + 54;
export const KEYC_F10 = KEYC_BASE + 55;
export const KEYC_F11 = KEYC_BASE + 56;
export const KEYC_F12 = KEYC_BASE + 57;
export const KEYC_IC = KEYC_BASE + 58;
export const KEYC_DC = KEYC_BASE + 59;
export const KEYC_HOME = KEYC_BASE + 60;
export const KEYC_END = KEYC_BASE + 61;
export const KEYC_NPAGE = KEYC_BASE + 62;
export const KEYC_PPAGE = KEYC_BASE + 63;
export const KEYC_BTAB = KEYC_BASE + 64;
export const KEYC_UP = KEYC_BASE + 65;
export const KEYC_DOWN = KEYC_BASE + 66;
export const KEYC_LEFT = KEYC_BASE + 67;
export const KEYC_RIGHT = KEYC_BASE + 68;
export const KEYC_KP_SLASH = KEYC_BASE + 69;
export const KEYC_KP_STAR = KEYC_BASE + 70;
export const KEYC_KP_MINUS = KEYC_BASE + 71;
export const KEYC_KP_SEVEN = KEYC_BASE + 72;
export const KEYC_KP_EIGHT = KEYC_BASE + 73;
export const KEYC_KP_NINE = KEYC_BASE + 74;
export const KEYC_KP_PLUS = KEYC_BASE + 75;
export const KEYC_KP_FOUR = KEYC_BASE + 76;
export const KEYC_KP_FIVE = KEYC_BASE + 77;
export const KEYC_KP_SIX = KEYC_BASE + 78;
export const KEYC_KP_ONE = KEYC_BASE + 79;
export const KEYC_KP_TWO = KEYC_BASE + 80;
export const KEYC_KP_THREE = KEYC_BASE + 81;
export const KEYC_KP_ENTER = KEYC_BASE + 82;
export const KEYC_KP_ZERO = KEYC_BASE + 83;
export const KEYC_KP_PERIOD = KEYC_BASE + 84;

/** F1..F12 by number (1-based); the F keys are consecutive. */
export function functionKey(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > 12) throw new RangeError(`no function key F${n}`);
  return KEYC_F1 + n - 1;
}

const MOD_UNIT = KEYC_ESCAPE; // the lowest modifier bit
const MOD_BITS = 8; // three modifier bits

/** The key without any modifier bits. */
export function baseKey(key: number): number {
  return key % MOD_UNIT;
}

/** Only the modifier bits of the key (0, or a sum of KEYC_ESCAPE/KEYC_CTRL/KEYC_SHIFT). */
export function keyModifiers(key: number): number {
  return (Math.floor(key / MOD_UNIT) % MOD_BITS) * MOD_UNIT;
}

/** True when every bit of `mods` (one or more modifier bits) is set in `key`. */
export function hasModifier(key: number, mods: number): boolean {
  const want = Math.floor(mods / MOD_UNIT) % MOD_BITS;
  const have = Math.floor(key / MOD_UNIT) % MOD_BITS;
  return want !== 0 && (have & want) === want; // small ints: 32-bit ops are safe here
}

/** Key with the given modifier bits added (bits already set stay set). */
export function withModifiers(key: number, mods: number): number {
  const bits = (Math.floor(key / MOD_UNIT) % MOD_BITS) | (Math.floor(mods / MOD_UNIT) % MOD_BITS);
  return baseKey(key) + bits * MOD_UNIT;
}

/** Key with the given modifier bits cleared. */
export function withoutModifiers(key: number, mods: number): number {
  const bits = (Math.floor(key / MOD_UNIT) % MOD_BITS) & ~(Math.floor(mods / MOD_UNIT) % MOD_BITS);
  return baseKey(key) + bits * MOD_UNIT;
}

/** A special (non-character) key: FOCUS, mouse, BSPACE, F-keys, cursor and keypad keys. */
export function isSpecialKey(key: number): boolean {
  return baseKey(key) >= KEYC_BASE;
}

/** MOUSE or one of the named mouse keys (tmux drops these when sent to a pane). */
export function isMouseKey(key: number): boolean {
  const base = baseKey(key);
  return base >= KEYC_MOUSE && base <= KEYC_MOUSE_LAST;
}

export function isFocusKey(key: number): boolean {
  const base = baseKey(key);
  return base === KEYC_FOCUS_IN || base === KEYC_FOCUS_OUT;
}

/** A Unicode scalar value (what a character key may hold). */
export function isCodePoint(cp: number): boolean {
  return Number.isInteger(cp) && cp >= 0 && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff);
}

/**
 * The control code tmux makes of Ctrl + an ASCII character: letters (either case), `@`..`_`
 * and Space. Returns null where tmux 2.x has no control form.
 */
export function controlCode(ch: number): number | null {
  if (ch >= 0x61 && ch <= 0x7a) return ch - 0x60;
  if (ch >= 0x40 && ch <= 0x5f) return ch - 0x40;
  if (ch === 0x20) return 0;
  return null;
}
