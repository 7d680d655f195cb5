/**
 * The internals of xterm's BufferLine (@xterm/headless 6.0.0) that the emulator's patches rely on
 * (shared-cell-maps.ts replaces copyFrom and wraps the map writers, line-arena.ts replaces clone
 * and resize), how to reach the class's prototype from a terminal, and the normal buffer's
 * fields that the resize and clear fix-ups move (tmux-resize.ts, clear-into-history.ts). Each
 * patch checks the source text of the method it replaces first (sourceText), so an xterm upgrade
 * that changes a method leaves xterm's own in place.
 */
import type { Terminal } from '@xterm/headless';

/** A buffer line's fields: its cells (3 Uint32 per column) and the per-cell side maps. */
export interface BufferLineFields {
  length: number;
  isWrapped: boolean;
  _data: Uint32Array;
  _combined: Record<number, string>;
  _extendedAttrs: Record<number, unknown>;
}

/** The prototype shared by `term`'s buffer lines (xterm's BufferLine class), or null. */
export function bufferLinePrototype<Line extends object>(term: Terminal): Line | null {
  const core = (term as unknown as { _core?: { buffer?: { lines?: { get(i: number): unknown } } } })._core;
  const line = core?.buffer?.lines?.get(0);
  if (line === null || typeof line !== 'object') return null;
  return Object.getPrototypeOf(line) as Line;
}

/** The normal buffer's scrollback position and lines, as xterm keeps them (not the public API's copies). */
export interface NormalBuffer {
  /** Index of the first screen line in `lines`: the lines before it are the scrollback. */
  ybase: number;
  lines: { length: number; get(index: number): object | undefined };
}

/** `term`'s normal buffer (the one with a scrollback), or null when xterm's internals differ. */
export function normalBuffer(term: Terminal): NormalBuffer | null {
  const normal = (term as unknown as { _core?: { buffers?: { normal?: Partial<NormalBuffer> } } })._core?.buffers?.normal;
  if (normal === undefined || typeof normal.ybase !== 'number' || normal.lines === undefined) return null;
  return normal as NormalBuffer;
}

/** A buffer line as far as the fix-ups that move lines read it. */
export interface TrimmableLine {
  getTrimmedLength(): number;
}

/**
 * The normal buffer with what moving the boundary between scrollback and screen takes
 * (tmux-resize.ts, clear-into-history.ts): the viewport and cursor rows, and the line list's
 * capacity and editing methods.
 */
export interface MovableBuffer extends NormalBuffer {
  ydisp: number;
  y: number;
  lines: {
    length: number;
    maxLength: number;
    get(index: number): TrimmableLine | undefined;
    pop(): unknown;
    push(line: unknown): void;
    splice(start: number, deleteCount: number, ...items: TrimmableLine[]): void;
  };
  /** A blank line of the buffer's width in the default style (no attribute data: the default). */
  getBlankLine(attr: undefined): unknown;
}

/** `term`'s normal buffer with every field and method MovableBuffer names, or null. */
export function movableNormalBuffer(term: Terminal): MovableBuffer | null {
  const buffer = normalBuffer(term) as Partial<MovableBuffer> | null;
  const lines = buffer?.lines;
  const shaped =
    typeof buffer?.ydisp === 'number' &&
    typeof buffer.y === 'number' &&
    typeof buffer.getBlankLine === 'function' &&
    typeof lines?.get === 'function' &&
    typeof lines.maxLength === 'number' &&
    typeof lines.pop === 'function' &&
    typeof lines.push === 'function' &&
    typeof lines.splice === 'function';
  return shaped ? (buffer as MovableBuffer) : null;
}

/** A method's source text without whitespace ('' for anything else), to recognise xterm's own. */
export function sourceText(method: unknown): string {
  return typeof method === 'function' ? Function.prototype.toString.call(method).replace(/\s+/g, '') : '';
}
