/**
 * Word and character-jump motions of copy mode, with tmux 2.x's rules: a "word" is a run of cells
 * not in the separator set (session option word-separators, default " -_@"; the *-space motions
 * use " " alone). Only single ASCII cells can be separators; an empty cell counts as a space.
 *
 * Invariants: every loop either advances the cursor to a new line or stops, so a motion ends
 * after at most one pass over history + screen.
 */
import type { CopyCursor } from './copy-cursor.js';

/** tmux 2.4's default word-separators. */
export const WORD_SEPARATORS = ' -_@';
export const SPACE_SEPARATORS = ' ';

function inSet(cur: CopyCursor, px: number, py: number, set: string): boolean {
  const ch = cur.grid.charAt(px, py);
  if (ch.length !== 1) return false;
  const code = ch.charCodeAt(0);
  if (code === 0 || code >= 0x7f) return false;
  return set.includes(ch);
}

/** Moves the cursor down a line for a word motion; false when it could not move. */
function nextLine(cur: CopyCursor): boolean {
  const before = cur.abs();
  cur.down(false);
  return cur.abs() > before;
}

/**
 * Skips cells while their separator-ness equals `sep`, moving to following lines past the end of
 * a line. Returns the new column, or null when the last line was reached first.
 */
function skipWhile(cur: CopyCursor, px: number, set: string, sep: boolean): number | null {
  const last = cur.grid.history + cur.grid.rows - 1;
  let py = cur.abs();
  let len = cur.grid.length(py);
  while (px > len || inSet(cur, px, py, set) === sep) {
    if (px > len) {
      if (py >= last || !nextLine(cur)) return null;
      px = 0;
      py = cur.abs();
      len = cur.grid.length(py);
    } else {
      px++;
    }
  }
  return px;
}

/** vi `w` / `W`: to the start of the next word. */
export function nextWord(cur: CopyCursor, set: string): void {
  const inWord = skipWhile(cur, cur.cx, set, false);
  if (inWord === null) return;
  const next = skipWhile(cur, inWord, set, true);
  if (next !== null) cur.cx = next;
}

/** vi `e` / `E` (to the last character of the word) and emacs M-f (just past the word). */
export function nextWordEnd(cur: CopyCursor, set: string, vi: boolean): void {
  let px = cur.cx;
  if (vi && !inSet(cur, px, cur.abs(), set)) px++;
  const start = skipWhile(cur, px, set, true);
  if (start === null) return;
  const end = skipWhile(cur, start, set, false);
  if (end === null) return;
  cur.cx = vi && end !== 0 ? end - 1 : end;
}

/** vi `b` / `B`, emacs M-b: to the start of this or the previous word. */
export function previousWord(cur: CopyCursor, set: string): void {
  let px = cur.cx;
  let py = cur.abs();
  for (;;) {
    if (px > 0) {
      px--;
      if (!inSet(cur, px, py, set)) break;
      continue;
    }
    const history = cur.grid.history;
    if (cur.cy === 0 && (history === 0 || cur.oy >= history - 1)) {
      cur.cx = px;
      return;
    }
    cur.up(false);
    if (cur.abs() >= py) {
      cur.cx = 0;
      return;
    }
    py = cur.abs();
    px = cur.grid.length(py);
  }
  while (px > 0 && !inSet(cur, px - 1, py, set)) px--;
  cur.cx = px;
}

/** How a character jump lands: on the character, or next to it (vi t/T). */
export type JumpKind = 'forward' | 'backward' | 'to-forward' | 'to-backward';

function isChar(cur: CopyCursor, px: number, py: number, ch: string): boolean {
  return cur.grid.charAt(px, py) === ch;
}

/**
 * f/F/t/T on the cursor line: jumps to the next (previous) `ch`, or beside it for t/T. `again`
 * is set for `;`/`,` repeats, so t/T skip a match right next to the cursor.
 */
export function jump(cur: CopyCursor, kind: JumpKind, ch: string, again: boolean): void {
  const py = cur.abs();
  if (kind === 'forward' || kind === 'to-forward') {
    const len = cur.grid.length(py);
    const to = kind === 'to-forward';
    for (let px = cur.cx + 1 + (to && again ? 1 : 0); px < len; px++) {
      if (isChar(cur, px, py, ch)) {
        cur.cx = to ? px - 1 : px;
        return;
      }
    }
    return;
  }
  const to = kind === 'to-backward';
  let px = cur.cx > 0 ? cur.cx - 1 : 0;
  if (to && again && px > 0) px--;
  for (; px >= 0; px--) {
    if (isChar(cur, px, py, ch)) {
      cur.cx = to ? px + 1 : px;
      return;
    }
  }
}

/** The jump `;` repeats in the other direction for `,`. */
export function reverseJump(kind: JumpKind): JumpKind {
  switch (kind) {
    case 'forward': return 'backward';
    case 'backward': return 'forward';
    case 'to-forward': return 'to-backward';
    case 'to-backward': return 'to-forward';
  }
}
