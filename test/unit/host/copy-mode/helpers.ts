/**
 * Helpers for the copy-mode tests: real pane emulators filled with numbered lines, key names to
 * codes, and a driver that presses keys and collects what copy mode answered.
 */
import { CopyMode, type CopyKeyMode, type CopyModeResult } from '../../../../src/core/host/copy-mode/copy-mode.js';
import { createEmulator, feedEmulator, type Emulator } from '../../../../src/core/term/emulator.js';
import { keyFromName } from '../../../../src/core/term/key-names.js';

/** The key code of a tmux key name; fails the test on an unknown name. */
export function key(name: string): number {
  const code = keyFromName(name);
  if (code === null) throw new Error(`unknown key name ${name}`);
  return code;
}

/** A cols×rows pane that printed `lines` (joined with CRLF, the cursor after the last one). */
export function paneWith(cols: number, rows: number, lines: string[], scrollback = 2000): Emulator {
  const term = createEmulator(cols, rows, scrollback);
  feedEmulator(term, lines.join('\r\n'));
  return term;
}

/** `seq from to` as lines. */
export function seq(from: number, to: number): string[] {
  return Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
}

/** Presses each key (a name, or a raw code) in order and returns the last result. */
export function press(mode: CopyMode, ...keys: (string | number)[]): CopyModeResult {
  let last: CopyModeResult = { exit: false, copied: null };
  for (const k of keys) last = mode.handleKey(typeof k === 'number' ? k : key(k));
  return last;
}

/** Types plain text, one key per character. */
export function typeText(mode: CopyMode, text: string): void {
  for (const ch of text) mode.handleKey(ch.codePointAt(0)!);
}

/** The text of absolute copy-mode line `abs` (0 = oldest history line), trimmed. */
export function lineAt(term: Emulator, abs: number): string {
  return term.buffer.normal.getLine(abs)?.translateToString(true) ?? '';
}

/** The text on the copy view's row `row` for a given state. */
export function viewRow(term: Emulator, oy: number, row: number): string {
  return lineAt(term, term.buffer.normal.baseY - oy + row);
}

/** The text under the copy cursor's line. */
export function cursorLine(term: Emulator, mode: CopyMode): string {
  const s = mode.state();
  return viewRow(term, s.oy, s.cy);
}

export function copyMode(term: Emulator, keys: CopyKeyMode): CopyMode {
  return new CopyMode(term, keys);
}
