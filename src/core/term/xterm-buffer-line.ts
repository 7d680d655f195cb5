/**
 * The internals of xterm's BufferLine (@xterm/headless 6.0.0) that the emulator's patches rely on
 * (shared-cell-maps.ts replaces copyFrom and wraps the map writers, line-arena.ts replaces clone
 * and resize), and how to reach the class's prototype from a terminal. Each patch checks the
 * source text of the method it replaces first (sourceText), so an xterm upgrade that changes a
 * method leaves xterm's own in place.
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

/** A method's source text without whitespace ('' for anything else), to recognise xterm's own. */
export function sourceText(method: unknown): string {
  return typeof method === 'function' ? Function.prototype.toString.call(method).replace(/\s+/g, '') : '';
}
