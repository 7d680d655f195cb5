/**
 * Buffer lines carved out of shared slabs while a pane's output is parsed.
 *
 * Until a pane's scrollback is full, xterm gives every line that scrolls up a copy of its blank
 * line (BufferLine.clone), and each copy gets its own ArrayBuffer: a malloc, V8's bookkeeping of
 * external memory and a sweep after it dies, ~3.5 µs per line on this machine against ~0.4 µs for
 * a view into a larger buffer. With 100 panes streaming logs into fresh scrollbacks that was 19 %
 * of the relay's busy time in the scale benchmark. While feedEmulator() parses (inLineArena), the
 * clone here takes its cells from a slab of LINES_PER_SLAB lines that belongs to that pane only.
 * Cells that packed scrollback lines gave up (packed-lines.ts) come first: a streaming pane with a
 * full scrollback then reuses the cells of the lines it packed a second ago for the lines it
 * recycles now, instead of cutting new memory for them (and leaving the old to the collector).
 *
 * Invariants: a slab holds lines of one emulator, so a pane that ends frees all of its slabs; a
 * live line keeps at most one slab alive (at most LINES_PER_SLAB − 1 lines of dead neighbours, e.g.
 * after the scrollback is cleared). A line never writes outside its own view: xterm's resize()
 * assumes a line's cells start its ArrayBuffer and would grow into it, so a slab line gets its own
 * buffer before any resize. Spare cells are handed out only to a line of their own pane and
 * size, whose every cell is then written; a pane keeps at most as many as it took since its last
 * trimSpareCells() (the packer's sweep, once a second), so an idle pane keeps none. Installed once,
 * only on the clone() and resize() this was written against (their source text is checked), and
 * clone() outside inLineArena is xterm's own.
 */
import type { Terminal } from '@xterm/headless';
import { cellMapCopy, lineSharesEmptyMaps } from './shared-cell-maps.js';
import { bufferLinePrototype, sourceText, type BufferLineFields } from './xterm-buffer-line.js';

/** Lines per slab: allocation cost divided by this, dead-neighbour memory multiplied by it. */
const LINES_PER_SLAB = 8;
/** Lines wider than this many Uint32 cells (3 per column) take xterm's own path. */
const MAX_SLAB_LINE = 3 * 1024;

/** The parts of xterm's BufferLine (@xterm/headless 6.0.0) that clone() and resize() touch. */
interface CloneableLine extends BufferLineFields {
  clone(): CloneableLine;
  resize(cols: number, fill: unknown): boolean;
}

interface LinePrototype extends CloneableLine {
  [INSTALLED]?: true;
}

const INSTALLED = Symbol('lineArena');
/** Fill cell for a line of zero columns (never read). */
const NO_FILL = Object.freeze({});

/** Spare cells a pane keeps at most (a second of a fast stream). */
const MAX_SPARES = 512;

/** One pane's slabs: lines are cut from the newest one, after any spare cells. */
class LineArena {
  private slab: ArrayBuffer | null = null;
  private offset = 0;
  private readonly spares: Uint32Array[] = [];
  /** Cells handed out since the last trimSpares(). */
  private handedOut = 0;

  /** A copy of `cells` in this arena's current slab (a new slab when it is full). */
  copy(cells: Uint32Array): Uint32Array {
    const view = this.alloc(cells.length);
    view.set(cells);
    return view;
  }

  /** `words` cells for a line that writes all of them: spare ones, else from the current slab (a new slab when it is full). */
  alloc(words: number): Uint32Array {
    this.handedOut++;
    const spare = this.spares.pop();
    if (spare !== undefined) {
      if (spare.length === words) return spare;
      this.spares.length = 0; // cells of another width: the pane was resized
    }
    const bytes = words * 4;
    if (this.slab === null || this.offset + bytes > this.slab.byteLength) {
      this.slab = new ArrayBuffer(bytes * LINES_PER_SLAB);
      this.offset = 0;
    }
    const view = new Uint32Array(this.slab, this.offset, words);
    this.offset += bytes;
    return view;
  }

  giveBack(cells: Uint32Array): void {
    if (this.spares.length < MAX_SPARES && cells.length <= MAX_SLAB_LINE) this.spares.push(cells);
  }

  /** Keeps as many spares as were handed out since the last call. */
  trimSpares(): void {
    if (this.spares.length > this.handedOut) this.spares.length = this.handedOut;
    this.handedOut = 0;
  }

  get hasSpares(): boolean {
    return this.spares.length > 0;
  }
}

const arenas = new WeakMap<Terminal, LineArena>();
let current: LineArena | null = null;

/** Cells for a line being unpacked (packed-lines.ts): from the arena of the parse running, if any. */
export function arenaCells(words: number): Uint32Array {
  return current !== null && words <= MAX_SLAB_LINE ? current.alloc(words) : new Uint32Array(words);
}

/** Cells a packed line of `term` gave up, for `term`'s next new or unpacked lines. */
export function giveBackCells(term: Terminal, cells: Uint32Array): void {
  arenas.get(term)?.giveBack(cells);
}

/** Drops `term`'s spare cells beyond as many as it used since the last call. */
export function trimSpareCells(term: Terminal): void {
  arenas.get(term)?.trimSpares();
}

/** Whether `term` keeps spare cells. */
export function hasSpareCells(term: Terminal): boolean {
  return arenas.get(term)?.hasSpares ?? false;
}

/** Gives `term` its own arena and installs the slab-aware clone() on xterm's BufferLine (once). */
export function useLineArena(term: Terminal): boolean {
  const proto = bufferLinePrototype<LinePrototype>(term);
  if (proto === null) return false;
  if (!proto[INSTALLED]) {
    if (!isXtermClone(proto.clone) || !isXtermResize(proto.resize)) return false;
    install(proto);
  }
  arenas.set(term, new LineArena());
  return true;
}

/** Runs `parse` with lines that `term` clones meanwhile cut from its arena. */
export function inLineArena(term: Terminal, parse: () => void): void {
  const outer = current;
  current = arenas.get(term) ?? null;
  try {
    parse();
  } finally {
    current = outer;
  }
}

function install(proto: LinePrototype): void {
  const xtermClone = proto.clone;
  const xtermResize = proto.resize;
  proto.clone = function clone(this: CloneableLine): CloneableLine {
    const arena = current;
    if (arena === null || this._data.length > MAX_SLAB_LINE) return xtermClone.call(this);
    // Zero columns and a fill cell given: the constructor allocates no cell of its own to fill with.
    const line = new (this.constructor as new (cols: number, fill: unknown) => CloneableLine)(0, NO_FILL);
    line._data = arena.copy(this._data);
    line.length = this.length;
    if (lineSharesEmptyMaps(line)) {
      line._combined = cellMapCopy(this._combined);
      line._extendedAttrs = cellMapCopy(this._extendedAttrs);
    } else {
      for (const key in this._combined) line._combined[key] = this._combined[key]!;
      for (const key in this._extendedAttrs) line._extendedAttrs[key] = this._extendedAttrs[key];
    }
    line.isWrapped = this.isWrapped;
    return line;
  };
  proto.resize = function resize(this: CloneableLine, cols: number, fill: unknown): boolean {
    if (this._data.byteOffset !== 0 || this._data.byteLength !== this._data.buffer.byteLength) {
      if (cols !== this.length) this._data = new Uint32Array(this._data);
    }
    return xtermResize.call(this, cols, fill);
  };
  proto[INSTALLED] = true;
}

/** xterm 6.0.0's BufferLine.clone: an empty line given a copy of the cells and both maps. */
function isXtermClone(method: unknown): boolean {
  const text = sourceText(method);
  return text.includes('_data=newUint32Array(this._data)') && text.includes('isWrapped=this.isWrapped');
}

/** xterm 6.0.0's BufferLine.resize: grows into its own ArrayBuffer when that has room. */
function isXtermResize(method: unknown): boolean {
  const text = sourceText(method);
  return text.includes('this._data.buffer.byteLength') && text.includes('this._data.subarray(0,');
}
