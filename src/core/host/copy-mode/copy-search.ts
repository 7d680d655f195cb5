/**
 * Copy-mode search over history + screen, with tmux 2.x's rules: matches are found within one
 * line (cell by cell, a wide character once), searching up finds the rightmost match before the
 * cursor and then on earlier lines, searching down the leftmost after the cursor and then on later
 * lines, and both wrap around once (tmux's wrap-search is on by default). A search string without
 * upper-case letters matches case-insensitively.
 *
 * Invariants: pure reads of the grid; returns a position or null, never moves anything itself.
 */
import type { CopyGrid, GridChar } from './copy-grid.js';

export interface GridPos {
  x: number;
  /** Absolute line. */
  y: number;
}

interface Needle {
  chars: string[];
  fold: boolean;
}

function needleOf(text: string): Needle {
  return { chars: Array.from(text), fold: text === text.toLowerCase() };
}

function matchesAt(line: GridChar[], i: number, needle: Needle): boolean {
  for (let j = 0; j < needle.chars.length; j++) {
    const cell = line[i + j];
    if (cell === undefined) return false;
    const ch = needle.fold ? cell.ch.toLowerCase() : cell.ch;
    if (ch !== needle.chars[j]) return false;
  }
  return true;
}

/** Rightmost match on line `y` starting at a column <= maxX, or null. */
function lastMatch(grid: CopyGrid, y: number, maxX: number, needle: Needle): GridPos | null {
  const line = grid.chars(y);
  for (let i = line.length - needle.chars.length; i >= 0; i--) {
    if (line[i]!.x <= maxX && matchesAt(line, i, needle)) return { x: line[i]!.x, y };
  }
  return null;
}

/** Leftmost match on line `y` starting at a column >= minX, or null. */
function firstMatch(grid: CopyGrid, y: number, minX: number, needle: Needle): GridPos | null {
  const line = grid.chars(y, minX);
  for (let i = 0; i + needle.chars.length <= line.length; i++) {
    if (matchesAt(line, i, needle)) return { x: line[i]!.x, y };
  }
  return null;
}

/** The previous match of `text` before (x, y), wrapping around from the last line once. */
export function searchUp(grid: CopyGrid, from: GridPos, text: string): GridPos | null {
  if (text === '') return null;
  const needle = needleOf(text);
  const last = grid.history + grid.rows - 1;
  let fx = from.x - 1;
  let fy = from.y;
  if (from.x <= 0) {
    if (from.y <= 0) return null;
    fx = grid.cols - 1;
    fy--;
  }
  for (let y = fy; y >= 0; y--) {
    const hit = lastMatch(grid, y, y === fy ? fx : grid.cols, needle);
    if (hit) return hit;
  }
  for (let y = last; y >= 0; y--) {
    const hit = lastMatch(grid, y, grid.cols, needle);
    if (hit) return hit;
  }
  return null;
}

/** The next match of `text` after (x, y), wrapping around from the first line once. */
export function searchDown(grid: CopyGrid, from: GridPos, text: string): GridPos | null {
  if (text === '') return null;
  const needle = needleOf(text);
  const last = grid.history + grid.rows - 1;
  let fx = from.x + 1;
  let fy = from.y;
  if (from.x >= grid.cols - 1) {
    fx = 0;
    fy++;
  }
  for (let y = fy; y <= last; y++) {
    const hit = firstMatch(grid, y, y === fy ? fx : 0, needle);
    if (hit) return hit;
  }
  for (let y = 0; y <= last; y++) {
    const hit = firstMatch(grid, y, 0, needle);
    if (hit) return hit;
  }
  return null;
}
